package io.runnel.it.retention;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;

import io.runnel.it.KafkaEndpoint;
import io.runnel.it.RunnelCluster;
import io.runnel.it.TopicReader;
import io.runnel.storage.record.LogFileDump;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

import static io.runnel.it.Futures.get;

/** What a partition holds, read with a real consumer, as "offset:key:value" ("null" for absent key or value). */
final class PartitionContent {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private PartitionContent() {
    }

    static List<String> read(KafkaEndpoint endpoint, TopicPartition tp) {
        return read(endpoint, tp, new Properties());
    }

    /** The same with a consumer of these settings (e.g. isolation.level). */
    static List<String> read(KafkaEndpoint endpoint, TopicPartition tp, Properties consumerSettings) {
        List<String> records = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = endpoint.consumer(consumerSettings)) {
            TopicReader.readAll(consumer, List.of(tp), TIMEOUT, r -> records.add(r.offset() + ":" + text(r.key())
                    + ":" + text(r.value())));
        }
        return records;
    }

    /**
     * What one node's replica holds in its segment files, in the same form; null while a segment is deleted under the
     * read (ask again).
     */
    static List<String> readReplica(RunnelCluster cluster, int node, TopicPartition tp) {
        List<String> records = new ArrayList<>();
        try (Stream<Path> files = Files.list(cluster.logDir(node).resolve(tp.topic() + "-" + tp.partition()))) {
            List<Path> segments = files.filter(f -> f.getFileName().toString().matches("\\d{20}\\.log")).sorted()
                    .toList();
            for (Path segment : segments) {
                LogFileDump.dump(segment, true, batch -> batch.records().forEach(r ->
                        records.add(r.offset() + ":" + text(r.key()) + ":" + text(r.value()))));
            }
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return records;
    }

    static long earliestOffset(Admin admin, TopicPartition tp) {
        return get(admin.listOffsets(java.util.Map.of(tp, OffsetSpec.earliest())).partitionResult(tp)).offset();
    }

    static byte[] utf8(String s) {
        return s == null ? null : s.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(byte[] b) {
        return b == null ? "null" : new String(b, StandardCharsets.UTF_8);
    }

    private static String text(ByteBuffer b) {
        return b == null ? "null" : StandardCharsets.UTF_8.decode(b.duplicate()).toString();
    }
}
