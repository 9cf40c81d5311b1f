package io.runnel.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/** One cluster for the class; each test's topics are its own through uniqueTopic. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RunnelExtensionTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @RegisterExtension
    static RunnelExtension runnel = RunnelExtension.create();

    private static RunnelCluster firstTestCluster;
    private static String firstTestTopic;

    @Test
    @Order(1)
    void aTestWritesToItsOwnTopic() throws Exception {
        firstTestCluster = runnel.cluster();
        firstTestTopic = runnel.uniqueTopic("events");
        runnel.createTopic(firstTestTopic, 1);
        Records.produce(runnel.bootstrapServers(), firstTestTopic, List.of("first"));
        assertEquals(List.of("first"), Records.consume(runnel.bootstrapServers(), firstTestTopic, 1, TIMEOUT));
    }

    @Test
    @Order(2)
    void theNextTestSharesTheBrokerButNotTheTopic() throws Exception {
        assertNotNull(firstTestCluster);
        assertSame(firstTestCluster, runnel.cluster());
        String topic = runnel.uniqueTopic("events");
        assertNotEquals(firstTestTopic, topic);
        runnel.createTopic(topic, 1);
        Records.produce(runnel.bootstrapServers(), topic, List.of("second"));
        assertEquals(List.of("second"), Records.consume(runnel.bootstrapServers(), topic, 1, TIMEOUT));
        TopicPartition only = new TopicPartition(topic, 0);
        assertEquals(1, runnel.admin().listOffsets(Map.of(only, OffsetSpec.latest())).partitionResult(only).get()
                .offset(), "this test's topic holds only its own record");
        assertEquals(List.of("first"), Records.consume(runnel.bootstrapServers(), firstTestTopic, 1, TIMEOUT));
    }

    @Test
    void topicPrefixesHoldOnlyCharactersKafkaAllowsInTopicNames() {
        assertEquals("a_b_c_-7-", RunnelExtension.prefix("a b(c)", 7));
    }
}
