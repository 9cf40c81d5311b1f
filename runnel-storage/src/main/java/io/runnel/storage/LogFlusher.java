package io.runnel.storage;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.NavigableMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongConsumer;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import org.apache.kafka.common.TopicPartition;

/** A log's fsyncs: the recovery point below which all is durable, and when flush.messages or flush.ms is due. */
final class LogFlusher {
    private final TopicPartition topicPartition;
    private final Clock clock;
    private final NavigableMap<Long, LogSegment> segments;
    private final LongSupplier logEnd;
    private final Supplier<Path> dir;
    private final BackgroundTasks background;
    private final LeaderEpochCache epochs;
    private final LogDirFailureChannel failures;
    /** Told the nanoseconds of each flush that wrote something. */
    private final LongConsumer flushed;
    /** Held by each flush, and by truncation while it changes the segments and lowers the recovery point. */
    private final Object lock = new Object();
    private final AtomicBoolean pending = new AtomicBoolean();
    private volatile long recoveryPoint;
    private volatile long lastFlushMs;
    /** Messages appended since flush.messages last scheduled a flush; guarded by the log's append lock. */
    private long unflushedMessages;

    LogFlusher(TopicPartition topicPartition, Clock clock, NavigableMap<Long, LogSegment> segments, LongSupplier logEnd,
               Supplier<Path> dir, BackgroundTasks background, LeaderEpochCache epochs, long recoveryPoint,
               LogDirFailureChannel failures, LongConsumer flushed) {
        this.failures = failures;
        this.flushed = flushed;
        this.topicPartition = topicPartition;
        this.clock = clock;
        this.segments = segments;
        this.logEnd = logEnd;
        this.dir = dir;
        this.background = background;
        this.epochs = epochs;
        this.recoveryPoint = recoveryPoint;
        this.lastFlushMs = clock.millis();
    }

    Object lock() {
        return lock;
    }

    long recoveryPoint() {
        return recoveryPoint;
    }

    /**
     * fsyncs the segments from the one holding the recovery point on and writes the leader epochs the appends below
     * the log end assigned, then advances the recovery point to the log end read first.
     */
    void flush() {
        synchronized (lock) {
            long target = logEnd.getAsLong();
            if (target <= recoveryPoint) {
                return;
            }
            Long from = segments.floorKey(recoveryPoint);
            long start = System.nanoTime();
            try {
                for (LogSegment segment : segments.tailMap(from == null ? 0L : from).values()) {
                    segment.flush();
                }
                epochs.flush();
            } catch (IOException e) {
                throw failures.failed(dir.get(), "Cannot flush " + topicPartition + " in " + dir.get(), e);
            }
            flushed.accept(System.nanoTime() - start);
            recoveryPoint = target;
            lastFlushMs = clock.millis();
        }
    }

    /** Flushes if {@code flushMs} has passed since the last flush and something is unflushed. */
    void flushIfDue(long nowMs, long flushMs) {
        if (nowMs - lastFlushMs >= flushMs && logEnd.getAsLong() > recoveryPoint) {
            flush();
        }
    }

    /** Counts appended messages (under the append lock); at {@code flushMessages} a flush goes to the scheduler. */
    void appended(long messages, long flushMessages) {
        unflushedMessages += messages;
        if (unflushedMessages >= flushMessages) {
            unflushedMessages = 0;
            if (pending.compareAndSet(false, true)) {
                background.run("flush", () -> {
                    pending.set(false);
                    flush();
                });
            }
        }
    }

    /** The log now ends at {@code end} (under the append lock and {@link #lock()}): nothing above it is unflushed. */
    void truncated(long end) {
        unflushedMessages = 0;
        recoveryPoint = Math.min(recoveryPoint, end);
    }

    /** The log restarts empty at {@code offset} (under the append lock and {@link #lock()}). */
    void restartAt(long offset) {
        recoveryPoint = offset;
    }
}
