package io.runnel.tools;

import io.runnel.broker.group.CommittedOffset;
import io.runnel.broker.group.GroupRecords;
import io.runnel.broker.protocol.KeyValueBatches;
import io.runnel.storage.LogConfig;
import io.runnel.storage.LogManager;
import io.runnel.storage.LogManagerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.MemoryRecordsBuilder;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DumpLogCommandTest {
    static final long T = 1_700_000_000_000L;

    @TempDir
    Path logDir;
    Path segment;

    /** A real segment: a plain batch with a header, a gzip batch, then batches enough for index entries. */
    @BeforeEach
    void writeSegment() {
        LogConfig config = LogConfig.defaults().withIndexIntervalBytes(1);
        try (LogManager logs = new LogManager(List.of(logDir), LogManagerConfig.defaults(60_000))) {
            var log = logs.getOrCreateLog(new TopicPartition("dumped", 0), Uuid.ONE_UUID, config);
            log.appendAsLeader(batch(Compression.NONE, T, "k1", "hello", new RecordHeader("trace", new byte[1])), 3);
            log.appendAsLeader(batch(Compression.gzip().build(), T + 1, "k2", "a", null), 3);
            for (int i = 0; i < 3; i++) {
                log.appendAsLeader(batch(Compression.NONE, T + 2 + i, "k", "v" + i, null), 3);
            }
        }
        segment = logDir.resolve("dumped-0").resolve("00000000000000000000.log");
    }

    static ByteBuffer batch(Compression compression, long timestamp, String key, String value, Header header) {
        MemoryRecordsBuilder b = MemoryRecords.builder(ByteBuffer.allocate(512), RecordBatch.MAGIC_VALUE_V2, compression,
                TimestampType.CREATE_TIME, 0L);
        b.append(timestamp, key.getBytes(StandardCharsets.UTF_8), value.getBytes(StandardCharsets.UTF_8),
                header == null ? new Header[0] : new Header[] {header});
        return b.build().buffer();
    }

    @Test
    void printsBatchesAndRecordsLikeKafkasTool() {
        CliResult r = CliResult.run("dump-log", "--files", segment.toString(), "--print-data-log");

        assertEquals(0, r.exitCode(), r.err());
        List<String> lines = r.out().lines().toList();
        assertEquals("Dumping " + segment, lines.get(0));
        assertEquals("Log starting offset: 0", lines.get(1));
        assertTrue(lines.get(2).matches("baseOffset: 0 lastOffset: 0 count: 1 baseSequence: -1 lastSequence: -1 "
                + "producerId: -1 producerEpoch: -1 partitionLeaderEpoch: 3 isTransactional: false isControl: false "
                + "deleteHorizonMs: OptionalLong.empty position: 0 CreateTime: " + T + " size: \\d+ magic: 2 "
                + "compresscodec: none crc: \\d+ isvalid: true"), lines.get(2));
        assertEquals("| offset: 0 CreateTime: " + T + " keySize: 2 valueSize: 5 sequence: -1 headerKeys: [trace] "
                + "key: k1 payload: hello", lines.get(3));
        assertTrue(lines.get(4).startsWith("baseOffset: 1 lastOffset: 1 count: 1 ") && lines.get(4).contains(
                " compresscodec: gzip "), lines.get(4));
        assertEquals("| offset: 1 CreateTime: " + (T + 1) + " keySize: 2 valueSize: 1 sequence: -1 headerKeys: [] "
                + "key: k2 payload: a", lines.get(5));
        assertEquals(2 + 5 * 2, lines.size());
    }

    @Test
    void withoutDataTheBatchesOnly() {
        CliResult r = CliResult.run("dump-log", "--files", segment.toString());
        assertEquals(0, r.exitCode(), r.err());
        assertEquals(2 + 5, r.out().lines().count());
        assertTrue(r.out().lines().noneMatch(l -> l.startsWith("|")));
    }

    @Test
    void offsetsDecoderPrintsGroupRecordsAsJsonAndSkipsUndecodableOnes() {
        TopicPartition tp = new TopicPartition("orders", 2);
        List<ByteBuffer> keys = List.of(GroupRecords.offsetKey("g", tp), GroupRecords.offsetKey("g", tp),
                GroupRecords.groupKey((short) 9, "g"), ByteBuffer.wrap(new byte[] {0, 1}));
        List<ByteBuffer> values = Arrays.asList(GroupRecords.offsetValue(new CommittedOffset(7, 4, "m\"x", T)), null,
                ByteBuffer.allocate(2), ByteBuffer.allocate(2));
        Path offsetsDir = logDir.resolve("offsets");
        try (LogManager logs = new LogManager(List.of(offsetsDir), LogManagerConfig.defaults(60_000))) {
            logs.getOrCreateLog(new TopicPartition("__consumer_offsets", 0), Uuid.ONE_UUID, LogConfig.defaults())
                    .appendAsLeader(KeyValueBatches.build(T, keys, values), 0);
        }
        Path offsetsSegment = offsetsDir.resolve("__consumer_offsets-0").resolve("00000000000000000000.log");

        CliResult r = CliResult.run("dump-log", "--files", offsetsSegment.toString(), "--offsets-decoder");

        assertEquals(0, r.exitCode(), r.err());
        List<String> records = r.out().lines().filter(l -> l.startsWith("|")).toList();
        assertEquals(4, records.size(), r.out());
        String key = "key: {\"type\":\"1\",\"data\":{\"group\":\"g\",\"topic\":\"orders\",\"partition\":2}}";
        assertTrue(records.get(0).endsWith(key + " payload: {\"version\":\"0\",\"data\":{\"offset\":7,"
                + "\"leaderEpoch\":4,\"metadata\":\"m\\\"x\",\"commitTimestamp\":" + T + "}}"), records.get(0));
        assertTrue(records.get(1).endsWith(key + " payload: <DELETE>"), records.get(1));
        assertTrue(records.get(2).endsWith(" key: Unknown record type 9 at offset 2, skipping."), records.get(2));
        assertTrue(records.get(3).contains(" key: Error at offset 3, skipping. "), records.get(3));
        assertTrue(!records.get(3).contains("payload:"), records.get(3));
    }

    @Test
    void indexesAreDumpedAndChecked() throws IOException {
        Path index = segment.resolveSibling("00000000000000000000.index");
        Path timeIndex = segment.resolveSibling("00000000000000000000.timeindex");

        CliResult r = CliResult.run("dump-log", "--files", index + "," + timeIndex);

        assertEquals(0, r.exitCode(), r.err());
        List<String> lines = r.out().lines().toList();
        assertEquals("Dumping " + index, lines.get(0));
        assertTrue(lines.get(1).matches("offset: \\d+ position: \\d+"), lines.get(1));
        assertTrue(lines.contains("Dumping " + timeIndex));
        assertTrue(lines.contains("timestamp: " + (T + 4) + " offset: 4"), r.out());

        CliResult sane = CliResult.run("dump-log", "--files", index.toString(), "--index-sanity-check");
        assertTrue(sane.out().contains(index + " passed sanity check."), sane.out());

        ByteBuffer corrupt = ByteBuffer.allocate(16).putInt(5).putInt(100).putInt(2).putInt(200).flip();
        Files.write(index, corrupt.array());
        CliResult insane = CliResult.run("dump-log", "--files", index.toString(), "--index-sanity-check");
        assertTrue(insane.out().contains(index + " failed sanity check"), insane.out());
    }
}
