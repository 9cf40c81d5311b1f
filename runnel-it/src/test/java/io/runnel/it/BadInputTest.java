package io.runnel.it;

import static io.runnel.it.Futures.assertFailsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.runnel.it.wire.RawRequests;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.apache.kafka.common.message.ApiVersionsResponseData.ApiVersion;
import org.apache.kafka.common.message.ProduceResponseData.PartitionProduceResponse;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Nothing a client sends breaks the broker: each bad input gets its precise answer, and the broker serves on. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class BadInputTest {
    private static final int SOCKET_REQUEST_MAX_BYTES = 1024 * 1024;
    private static final int MESSAGE_MAX_BYTES = 100_000;
    private static final AtomicInteger HEALTH_CHECKS = new AtomicInteger();

    private static RunnelCluster cluster;
    private static RoundTrip acknowledgedBefore;

    @BeforeAll
    static void startBroker() throws Exception {
        cluster = RunnelCluster.builder()
                .brokerProperty("socket.request.max.bytes", Integer.toString(SOCKET_REQUEST_MAX_BYTES))
                .brokerProperty("message.max.bytes", Integer.toString(MESSAGE_MAX_BYTES))
                .brokerProperty("auto.create.topics.enable", "false")
                .start();
        acknowledgedBefore = RoundTrip.run(cluster, "acknowledged-before", 3, 2_000, new Properties());
    }

    @AfterAll
    static void stopBroker() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @AfterEach
    void brokerStillServesAndKeptItsData() {
        RoundTrip.run(cluster, "healthy-" + HEALTH_CHECKS.incrementAndGet(), 2, 500, new Properties());
        acknowledgedBefore.verify(cluster);
    }

    @Test
    void garbageFrameClosesTheConnection() throws Exception {
        byte[] garbage = new byte[64];
        new Random(42).nextBytes(garbage);
        // An api key no Kafka version defines, so the frame cannot be read as a request by chance.
        garbage[0] = 0x7f;
        garbage[1] = 0x7f;
        try (RawConnection connection = new RawConnection(cluster.bootstrapServers())) {
            connection.sendFrame(ByteBuffer.wrap(garbage));
            connection.assertClosedByBroker();
        }
    }

    @Test
    void metadataBeforeV12NamingATopicByIdIsAnInvalidRequest() throws Exception {
        Uuid topicId = cluster.createTopic("by-id", 1);
        try (RawConnection connection = new RawConnection(cluster.bootstrapServers())) {
            for (short version = 10; version <= 11; version++) {
                connection.sendFrame(RawRequests.metadataByTopicId(version, version, topicId));
                assertEquals(List.of(Errors.INVALID_REQUEST),
                        RawRequests.metadataTopicErrors(connection.receiveFrame(), version, version), "v" + version);
            }
            connection.sendFrame(RawRequests.metadataByTopicId(12, (short) 12, topicId));
            assertEquals(List.of(Errors.NONE), RawRequests.metadataTopicErrors(connection.receiveFrame(), 12, (short) 12));
        }
    }

    @Test
    void sizePrefixAboveSocketRequestMaxBytesClosesTheConnection() throws Exception {
        try (RawConnection connection = new RawConnection(cluster.bootstrapServers())) {
            // Only the prefix and a few bytes: the broker must refuse before the body arrives.
            connection.sendRaw(ByteBuffer.allocate(8).putInt(SOCKET_REQUEST_MAX_BYTES + 1).putInt(0).array());
            connection.assertClosedByBroker();
        }
    }

    @Test
    void negativeSizePrefixClosesTheConnection() throws Exception {
        try (RawConnection connection = new RawConnection(cluster.bootstrapServers())) {
            connection.sendRaw(ByteBuffer.allocate(8).putInt(-5).putInt(0).array());
            connection.assertClosedByBroker();
        }
    }

    @Test
    void truncatedRequestClosesTheConnection() throws Exception {
        cluster.createTopic("truncated", 1);
        ByteBuffer request = RawRequests.produce(1, "truncated", 0, RawRequests.recordBatch(10));
        // A complete frame whose produce body stops halfway through the record batch.
        ByteBuffer cut = request.duplicate().limit(request.limit() - 60);
        try (RawConnection connection = new RawConnection(cluster.bootstrapServers())) {
            connection.sendFrame(cut);
            connection.assertClosedByBroker();
        }
        assertEquals(0, endOffset(new TopicPartition("truncated", 0)));
    }

    @Test
    void batchWithBadCrcIsRejectedAsCorrupt() throws Exception {
        TopicPartition tp = new TopicPartition("bad-crc", 0);
        cluster.createTopic(tp.topic(), 1);
        ByteBuffer batch = RawRequests.recordBatch(10);
        try (RawConnection connection = new RawConnection(cluster.bootstrapServers())) {
            // The same batch intact is accepted, so the rejection below is about the CRC alone.
            PartitionProduceResponse intact = produce(connection, 1, tp, batch);
            assertEquals(Errors.NONE, Errors.forCode(intact.errorCode()), intact.errorMessage());
            assertEquals(0, intact.baseOffset());

            PartitionProduceResponse corrupt = produce(connection, 2, tp, RawRequests.withFlippedLastByte(batch));
            assertEquals(Errors.CORRUPT_MESSAGE, Errors.forCode(corrupt.errorCode()), corrupt.errorMessage());
        }
        assertEquals(10, endOffset(tp));
    }

    @Test
    void recordLargerThanMessageMaxBytesIsRejected() {
        cluster.createTopic("too-large", 1);
        Properties props = new Properties();
        // Let the record past the producer's own check so the broker has to refuse it.
        props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Integer.toString(SOCKET_REQUEST_MAX_BYTES - 4096));
        props.put(ProducerConfig.BUFFER_MEMORY_CONFIG, Integer.toString(4 * SOCKET_REQUEST_MAX_BYTES));
        try (KafkaProducer<byte[], byte[]> producer = cluster.producer(props)) {
            byte[] value = new byte[3 * MESSAGE_MAX_BYTES];
            assertFailsWith(RecordTooLargeException.class, producer.send(new ProducerRecord<>("too-large", value)));
        }
        assertEquals(0, endOffset(new TopicPartition("too-large", 0)));
    }

    @Test
    void batchInOldMessageFormatIsRejectedAsInvalidRecord() throws Exception {
        TopicPartition tp = new TopicPartition("old-magic", 0);
        cluster.createTopic(tp.topic(), 1);
        try (RawConnection connection = new RawConnection(cluster.bootstrapServers())) {
            // Kafka answers Produce v3+ carrying a magic v0/v1 batch with INVALID_RECORD.
            PartitionProduceResponse response = produce(connection, 1, tp,
                    RawRequests.oldFormatRecordBatch(10));
            assertEquals(Errors.INVALID_RECORD, Errors.forCode(response.errorCode()), response.errorMessage());
        }
        assertEquals(0, endOffset(tp));
    }

    @Test
    void unknownTopicIsNotCreatedWhenAutoCreationIsDisabled() throws Exception {
        String topic = "never-created";
        try (RawConnection connection = new RawConnection(cluster.bootstrapServers())) {
            connection.sendFrame(RawRequests.metadata(1, topic, true));
            assertEquals(Errors.UNKNOWN_TOPIC_OR_PARTITION,
                    RawRequests.metadataTopicError(connection.receiveFrame(), 1, topic));
        }

        Properties props = new Properties();
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "3000");
        try (KafkaProducer<byte[], byte[]> producer = cluster.producer(props)) {
            TimeoutException timeout = assertFailsWith(TimeoutException.class,
                    producer.send(new ProducerRecord<>(topic, new byte[] {1})));
            assertTrue(timeout.getMessage().contains("not present in metadata"), timeout.getMessage());
        }

        try (Admin admin = cluster.admin()) {
            assertFailsWith(UnknownTopicOrPartitionException.class,
                    admin.describeTopics(List.of(topic)).allTopicNames());
            assertFalse(Futures.get(admin.listTopics().names()).contains(topic));
        }
    }

    @Test
    void apiVersionsOfUnknownVersionGetsUnsupportedVersionInV0() throws Exception {
        try (RawConnection connection = new RawConnection(cluster.bootstrapServers())) {
            connection.sendFrame(RawRequests.apiVersions(1, (short) 999));
            ApiVersionsResponseData refused = RawRequests.apiVersionsResponse(connection.receiveFrame(), 1, (short) 0);
            assertEquals(Errors.UNSUPPORTED_VERSION, Errors.forCode(refused.errorCode()));
            ApiVersion apiVersions = refused.apiKeys().find(ApiKeys.API_VERSIONS.id);
            assertTrue(apiVersions != null && apiVersions.maxVersion() >= RawRequests.API_VERSIONS_VERSION,
                    "the refusal lists the supported ApiVersions range: " + refused);

            // As a client does next: retry on the same connection with a supported version.
            short supported = RawRequests.API_VERSIONS_VERSION;
            connection.sendFrame(RawRequests.apiVersions(2, supported));
            ApiVersionsResponseData accepted = RawRequests.apiVersionsResponse(connection.receiveFrame(), 2, supported);
            assertEquals(Errors.NONE, Errors.forCode(accepted.errorCode()));
            assertTrue(accepted.apiKeys().find(ApiKeys.PRODUCE.id) != null, "Produce is supported");
        }
    }

    private static PartitionProduceResponse produce(RawConnection connection, int correlationId, TopicPartition tp,
                                                    ByteBuffer records) throws Exception {
        connection.sendFrame(RawRequests.produce(correlationId, tp.topic(), tp.partition(), records));
        return RawRequests.producePartitionResponse(connection.receiveFrame(), correlationId);
    }

    private static long endOffset(TopicPartition tp) {
        try (KafkaConsumer<byte[], byte[]> consumer = cluster.consumer(new Properties())) {
            return consumer.endOffsets(List.of(tp)).get(tp);
        }
    }
}
