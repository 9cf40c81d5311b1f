package io.runnel.it.replication;

import static io.runnel.it.Await.awaitCondition;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.runnel.it.RunnelCluster;
import io.runnel.it.TopicReader;
import io.runnel.it.wire.ApiConnection;
import io.runnel.it.wire.RawRequests;
import io.runnel.it.wire.WireRecords;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.message.InitProducerIdRequestData;
import org.apache.kafka.common.message.InitProducerIdResponseData;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.message.ProduceResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * An idempotent producer's state moves with leadership: the followers rebuild it from the replicated batches, so a
 * new leader answers a batch retried after failover with the offsets it was first written at (written once), refuses
 * a sequence gap with OUT_OF_ORDER_SEQUENCE_NUMBER and takes the next sequence. The batches are sent as the producer
 * would retry them, each to the node that leads at the time.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class IdempotentFailoverTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String TOPIC = "idempotent-failover";

    @Test
    void retriedBatchesAfterLeaderChangesAreWrittenOnceAndSequenceGapsRefused() throws Exception {
        try (ThreeNodes nodes = ThreeNodes.start()) {
            RunnelCluster cluster = nodes.cluster;
            nodes.createTopic(TOPIC);
            int first = nodes.leaderOf(TOPIC);
            InitProducerIdResponseData producer;
            try (ApiConnection connection = new ApiConnection(cluster.node(first).bootstrapServers(), "idempotent")) {
                producer = (InitProducerIdResponseData) connection.send(new InitProducerIdRequestData()
                        .setTransactionalId(null).setTransactionTimeoutMs(Integer.MAX_VALUE).setProducerId(-1)
                        .setProducerEpoch((short) -1), ApiKeys.INIT_PRODUCER_ID.latestVersion(false));
            }
            assertEquals(Errors.NONE.code(), producer.errorCode());
            Batches batches = new Batches(nodes, producer);

            assertEquals(0, batches.produce(first, 0, "a", "b", "c").baseOffset());
            assertEquals(3, batches.produce(first, 3, "d", "e").baseOffset());

            cluster.stop(first);
            int second = awaitNewLeader(nodes, first);
            assertEquals(3, batches.produce(second, 3, "d", "e").baseOffset(), "the last batch retried: its offsets");
            assertEquals(0, batches.produce(second, 0, "a", "b", "c").baseOffset(), "an earlier batch retried");
            assertEquals(Errors.OUT_OF_ORDER_SEQUENCE_NUMBER.code(), batches.send(second, 6, "gap").errorCode());
            assertEquals(5, batches.produce(second, 5, "f").baseOffset(), "the next sequence is appended");

            // The stopped leader rejoins; the next leader, whichever ISR member it is, knows the producer too.
            cluster.start(first);
            awaitCondition(WAIT, () -> nodes.isrSize(TOPIC) == 3, "the old leader rejoins the ISR");
            cluster.stop(second);
            int third = awaitNewLeader(nodes, second);
            assertEquals(5, batches.produce(third, 5, "f").baseOffset(), "retried after the second leader change");
            assertEquals(6, batches.produce(third, 6, "g").baseOffset());
            cluster.start(second);

            assertEquals(List.of("a", "b", "c", "d", "e", "f", "g"), readAll(cluster));
        }
    }

    /** The leader, once the metadata names another node than {@code old}. */
    private static int awaitNewLeader(ThreeNodes nodes, int old) {
        int[] leader = {old};
        awaitCondition(WAIT, () -> {
            leader[0] = nodes.leaderOf(TOPIC);
            return leader[0] != old;
        }, "a leader other than node " + old);
        assertNotEquals(old, leader[0]);
        return leader[0];
    }

    private static List<String> readAll(RunnelCluster cluster) {
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = cluster.consumer(new Properties())) {
            TopicReader.readAll(consumer, List.of(new TopicPartition(TOPIC, 0)), WAIT,
                    r -> values.add(new String(r.value(), StandardCharsets.UTF_8)));
        }
        return values;
    }

    /** The producer's batches, sent with acks=all to a chosen node as the partition's leader. */
    private static final class Batches {
        private final ThreeNodes nodes;
        private final InitProducerIdResponseData producer;

        Batches(ThreeNodes nodes, InitProducerIdResponseData producer) {
            this.nodes = nodes;
            this.producer = producer;
        }

        /** Sends the batch until the node has taken up leadership, and expects it accepted. */
        ProduceResponseData.PartitionProduceResponse produce(int node, int baseSequence, String... values) {
            ProduceResponseData.PartitionProduceResponse[] answer = new ProduceResponseData.PartitionProduceResponse[1];
            awaitCondition(WAIT, () -> {
                answer[0] = send(node, baseSequence, values);
                return answer[0].errorCode() != Errors.NOT_LEADER_OR_FOLLOWER.code();
            }, "node " + node + " answers as leader");
            assertEquals(Errors.NONE.code(), answer[0].errorCode(), "sequence " + baseSequence + ": "
                    + Errors.forCode(answer[0].errorCode()) + " " + answer[0].errorMessage());
            return answer[0];
        }

        ProduceResponseData.PartitionProduceResponse send(int node, int baseSequence, String... values) {
            ProduceRequestData.TopicProduceDataCollection topics = new ProduceRequestData.TopicProduceDataCollection();
            topics.add(new ProduceRequestData.TopicProduceData().setName(TOPIC).setPartitionData(List.of(
                    WireRecords.idempotentProduceData(0, System.currentTimeMillis(), List.of(values),
                            producer.producerId(), producer.producerEpoch(), baseSequence))));
            try (ApiConnection connection = new ApiConnection(nodes.cluster.node(node).bootstrapServers(),
                    "idempotent")) {
                ProduceResponseData response = (ProduceResponseData) connection.send(new ProduceRequestData()
                        .setAcks((short) -1).setTimeoutMs(30_000).setTopicData(topics), RawRequests.PRODUCE_VERSION);
                return response.responses().iterator().next().partitionResponses().get(0);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
