package io.runnel.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.function.LongConsumer;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ScheduledExecutorService;

import io.runnel.storage.record.TxnMarkers;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens a partition directory as a {@link PartitionLog}. After an unclean shutdown every segment from the one holding
 * the recovery point is CRC-checked and cut at the first torn batch (later segments are then dropped); any segment
 * whose indexes are missing or malformed has them rebuilt. Then the leader epochs and producer state are restored.
 */
final class LogLoader {
    private static final Logger LOG = LoggerFactory.getLogger(LogLoader.class);

    /** Where each dir-level checkpoint left this partition; -1 where a checkpoint has no entry. */
    record Checkpoints(boolean cleanShutdown, long recoveryPoint, long highWatermark, long logStartOffset) {
        static final Checkpoints NEW_LOG = new Checkpoints(true, 0, 0, 0);
    }

    private LogLoader() {
    }

    static PartitionLog load(Path dir, TopicPartition tp, Uuid topicId, LogConfig config, Checkpoints checkpoints,
                             Clock clock, ScheduledExecutorService scheduler, LogDirFailureChannel failures,
                             LongConsumer flushed) throws IOException {
        finishInterruptedSwaps(dir, tp);
        List<Long> baseOffsets = segmentBaseOffsets(dir);
        if (baseOffsets.isEmpty()) {
            baseOffsets.add(0L);
        }
        LeaderEpochCache epochs = LeaderEpochCache.load(dir);
        boolean rebuildEpochs = epochs.isEmpty();
        long recoveryPoint = checkpoints.cleanShutdown() ? Long.MAX_VALUE : Math.max(0, checkpoints.recoveryPoint());
        ConcurrentSkipListMap<Long, LogSegment> segments = new ConcurrentSkipListMap<>();
        long firstRecovered = Long.MAX_VALUE;
        for (int i = 0; i < baseOffsets.size(); i++) {
            long base = baseOffsets.get(i);
            boolean last = i == baseOffsets.size() - 1;
            boolean indexesExist = LogSegment.indexesExist(dir, base);
            LogSegment segment = LogSegment.open(dir, base, last ? config.segmentIndexBytes() : 0,
                    PartitionLog.jitter(config));
            segments.put(base, segment);
            long nextBase = last ? Long.MAX_VALUE : baseOffsets.get(i + 1);
            boolean mayHoldUnflushed = nextBase > recoveryPoint;
            if (mayHoldUnflushed || !indexesExist || !segment.indexesSane()) {
                firstRecovered = Math.min(firstRecovered, base);
                long cut = segment.recover(config.segmentIndexBytes(), config.indexIntervalBytes(), epochs);
                if (cut > 0) {
                    LOG.warn("{}: truncated {} invalid bytes at position {} of segment {}", tp, cut, segment.size(),
                            base);
                    deleteSegmentsAfter(dir, baseOffsets.subList(i + 1, baseOffsets.size()), tp);
                    baseOffsets = baseOffsets.subList(0, i + 1);
                    last = true;
                }
                if (!last) {
                    segment.seal();
                }
            } else if (last) {
                segment.loadRollBaseTime();
            }
            if (last) {
                segment.growIndexes(config.segmentIndexBytes());
            }
        }
        LogSegment active = segments.lastEntry().getValue();
        long logEndOffset = active.nextOffset();
        if (rebuildEpochs && logEndOffset > segments.firstKey()) {
            rebuildEpochs(segments, epochs);
        }
        epochs.truncateFromEnd(logEndOffset);
        epochs.flush();
        // The transaction indexes of recovered segments (and of those after them) are rebuilt from their markers,
        // with the producer state replayed from a snapshot taken no later than the first of them.
        for (LogSegment segment : segments.tailMap(firstRecovered).values()) {
            segment.txnIndex().reset();
        }
        ProducerStateManager producers = new ProducerStateManager();
        long stateOffset = producers.loadSnapshot(dir, Math.min(logEndOffset, firstRecovered));
        replayProducers(segments, stateOffset, producers, firstRecovered);
        long logStartOffset = Math.min(Math.max(segments.firstKey(), checkpoints.logStartOffset()), logEndOffset);
        PartitionLog log = new PartitionLog(dir, tp, topicId, config, clock, scheduler, segments, epochs, producers,
                logEndOffset, logStartOffset, Math.min(Math.max(0, checkpoints.recoveryPoint()), logEndOffset),
                Math.max(0, checkpoints.highWatermark()), failures, flushed);
        Optional<PendingTruncation> pending = PendingTruncation.read(dir);
        if (pending.isPresent()) {
            LOG.warn("{}: completing the truncation a crash interrupted: {}", tp, pending.get());
            log.completeTruncation(pending.get());
        }
        return log;
    }

    /**
     * Deletes what a crash left of a clean ({@code .cleaned}), of a truncation ({@code .truncated}) or of a delayed
     * deletion ({@code .deleted}), and
     * completes every swap whose {@code .log.swap} file exists: that rename committed it. Index files of a swap are
     * dropped with the old segment's and rebuilt from the new log file.
     */
    private static void finishInterruptedSwaps(Path dir, TopicPartition tp) throws IOException {
        List<Path> swaps = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path file : files) {
                String name = file.getFileName().toString();
                if (name.endsWith(LogFiles.CLEANED) || name.endsWith(LogFiles.TRUNCATED)
                        || name.endsWith(LogFiles.DELETED)
                        || (name.endsWith(LogFiles.SWAP) && !name.endsWith(LogFiles.LOG + LogFiles.SWAP))) {
                    Files.delete(file);
                } else if (name.endsWith(LogFiles.LOG + LogFiles.SWAP)) {
                    swaps.add(file);
                }
            }
        }
        for (Path swap : swaps) {
            String name = swap.getFileName().toString();
            long base = LogFiles.offsetOf(dir.resolve(name.substring(0, name.length() - LogFiles.SWAP.length())),
                    LogFiles.LOG);
            LOG.info("{}: completing the interrupted swap of cleaned segment {}", tp, base);
            LogFiles.deleteSegment(dir, base, "");
            Files.move(swap, LogFiles.file(dir, base, LogFiles.LOG), StandardCopyOption.ATOMIC_MOVE);
        }
    }

    private static List<Long> segmentBaseOffsets(Path dir) throws IOException {
        List<Long> offsets = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path file : files) {
                String name = file.getFileName().toString();
                long offset = LogFiles.offsetOf(file, LogFiles.LOG);
                if (offset >= 0) {
                    offsets.add(offset);
                } else if (name.endsWith(".tmp")) {
                    Files.deleteIfExists(file);
                }
            }
        }
        Collections.sort(offsets);
        return offsets;
    }

    private static void deleteSegmentsAfter(Path dir, List<Long> bases, TopicPartition tp) throws IOException {
        for (long base : bases) {
            LOG.warn("{}: deleting segment {} after the truncation point", tp, base);
            for (String suffix : List.of(LogFiles.LOG, LogFiles.INDEX, LogFiles.TIME_INDEX, LogFiles.TXN_INDEX)) {
                Files.deleteIfExists(LogFiles.file(dir, base, suffix));
            }
        }
    }

    private static void rebuildEpochs(ConcurrentSkipListMap<Long, LogSegment> segments, LeaderEpochCache epochs)
            throws IOException {
        for (LogSegment segment : segments.values()) {
            BatchCursor cursor = new BatchCursor(segment.channel(), 0, segment.size());
            while (cursor.next()) {
                epochs.assign(cursor.leaderEpoch(), cursor.baseOffset());
            }
        }
    }

    /**
     * Applies the producers' batches from {@code fromOffset} on, which the snapshot does not cover; the transactions
     * aborted by markers at or after {@code txnIndexFrom} are added to their segment's transaction index (rebuilt
     * after a crash; Long.MAX_VALUE adds none).
     */
    static void replayProducers(ConcurrentSkipListMap<Long, LogSegment> segments, long fromOffset,
                                ProducerStateManager producers, long txnIndexFrom) throws IOException {
        Long first = segments.floorKey(fromOffset);
        ByteBuffer buffer = null;
        for (LogSegment segment : segments.tailMap(first == null ? segments.firstKey() : first).values()) {
            BatchCursor cursor = new BatchCursor(segment.channel(), 0, segment.size());
            while (cursor.next()) {
                if (cursor.baseOffset() < fromOffset || cursor.producerId() < 0) {
                    continue;
                }
                if (!cursor.isControl()) {
                    producers.update(cursor.producerId(), cursor.producerEpoch(), cursor.baseSequence(),
                            cursor.lastSequence(), cursor.baseOffset(), cursor.lastOffset(), cursor.maxTimestamp(),
                            cursor.isTransactional());
                    continue;
                }
                buffer = cursor.readBatch(buffer);
                TxnMarkers.Marker marker = TxnMarkers.read(buffer);
                if (marker == null) {
                    // emptied by the cleaner, kept as the producer's last batch: its header still holds the epoch
                    producers.emptiedMarker(cursor.producerId(), cursor.producerEpoch());
                    continue;
                }
                AbortedTxn aborted = producers.endTransaction(cursor.producerId(), cursor.producerEpoch(), marker,
                        cursor.baseOffset(), cursor.maxTimestamp());
                if (aborted != null && cursor.baseOffset() >= txnIndexFrom) {
                    segment.txnIndex().append(aborted);
                }
            }
        }
    }
}
