package io.runnel.broker.handlers;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.runnel.storage.LogConfig;
import io.runnel.storage.LogManager;
import io.runnel.storage.LogManagerConfig;
import io.runnel.storage.PartitionLog;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.message.DescribeLogDirsRequestData;
import org.apache.kafka.common.message.DescribeLogDirsResponseData;
import org.apache.kafka.common.message.DescribeLogDirsResponseData.DescribeLogDirsPartition;
import org.apache.kafka.common.message.DescribeLogDirsResponseData.DescribeLogDirsResult;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.MemoryRecordsBuilder;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** DescribeLogDirs while a replica moves between two log dirs: the future replica with its offset lag. */
class DescribeLogDirsHandlerTest {
    private static final TopicPartition TP = new TopicPartition("t", 0);

    @TempDir
    Path root;

    @Test
    void aMovingReplicaIsListedInItsDestinationAsAFutureReplicaWithItsOffsetLag() throws Exception {
        Path a = root.resolve("a");
        Path b = root.resolve("b");
        try (LogManager logs = new LogManager(List.of(a, b), LogManagerConfig.defaults(60_000))) {
            PartitionLog log = logs.getOrCreateLog(TP, Uuid.ONE_UUID, LogConfig.defaults());
            log.appendAsLeader(batch(5), 0);
            logs.moveLog(TP, b.toString());
            logs.copyToFuture(TP, 1 << 20);
            log.appendAsLeader(batch(3), 0);
            DescribeLogDirsHandler handler = new DescribeLogDirsHandler(logs, Runnable::run);

            DescribeLogDirsResponseData response = (DescribeLogDirsResponseData) handler.handle(null,
                    new DescribeLogDirsRequestData().setTopics(null)).get();
            assertEquals(List.of("a:t-0 size>0 lag=0 future=false"), describe(response, a));
            assertEquals(List.of("b:t-0 size>0 lag=3 future=true"), describe(response, b));
        }
    }

    private static List<String> describe(DescribeLogDirsResponseData response, Path dir) {
        DescribeLogDirsResult result = response.results().stream()
                .filter(r -> r.logDir().equals(dir.toAbsolutePath().toString())).findFirst().orElseThrow();
        List<String> out = new ArrayList<>();
        result.topics().forEach(t -> {
            for (DescribeLogDirsPartition p : t.partitions()) {
                out.add(dir.getFileName() + ":" + t.name() + "-" + p.partitionIndex() + " size"
                        + (p.partitionSize() > 0 ? ">0" : "=0") + " lag=" + p.offsetLag() + " future=" + p.isFutureKey());
            }
        });
        return out;
    }

    private static ByteBuffer batch(int records) {
        MemoryRecordsBuilder builder = MemoryRecords.builder(ByteBuffer.allocate(1024), RecordBatch.MAGIC_VALUE_V2,
                Compression.NONE, TimestampType.CREATE_TIME, 0L);
        for (int i = 0; i < records; i++) {
            builder.append(System.currentTimeMillis(), null, ("v" + i).getBytes());
        }
        return builder.build().buffer();
    }
}
