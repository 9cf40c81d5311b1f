package io.runnel.storage;

import static io.runnel.storage.TestBatches.batch;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.record.internal.MutableRecordBatch;
import org.apache.kafka.common.record.internal.Record;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConcurrentReadTest {
    static final int BATCHES = 3000;

    @TempDir
    Path logDir;

    @Test
    void aReaderFollowingTheAppenderSeesOnlyWholeBatchesInOrder() throws Exception {
        try (LogManager manager = new LogManager(List.of(logDir), LogManagerConfig.defaults(60_000))) {
            manager.loadLogs(tp -> LogConfig.defaults());
            PartitionLog log = manager.getOrCreateLog(new TopicPartition("c", 0), Uuid.ONE_UUID,
                    LogConfig.defaults().withSegmentBytes(8 * 1024).withIndexIntervalBytes(512));
            CompletableFuture<Long> reader = CompletableFuture.supplyAsync(() -> {
                long next = 0;
                while (next < (long) BATCHES * 2) {
                    for (MutableRecordBatch b : TestBatches.batches(log.read(next, 4096, Long.MAX_VALUE, true))) {
                        b.ensureValid();
                        for (Record r : b) {
                            if (r.offset() >= next) {
                                assertEquals(next, r.offset());
                                assertEquals("v" + next, StandardCharsets.UTF_8.decode(r.value()).toString());
                                next++;
                            }
                        }
                    }
                }
                return next;
            });
            for (int i = 0; i < BATCHES; i++) {
                log.appendAsLeader(batch(System.currentTimeMillis(), "v" + (2 * i), "v" + (2 * i + 1)), 0);
            }
            assertEquals(BATCHES * 2L, reader.get(60, TimeUnit.SECONDS));
        }
    }
}
