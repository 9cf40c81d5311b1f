package io.runnel.it.topics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.runnel.it.RunnelCluster;
import io.runnel.it.wire.ApiConnection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.TopicCollection;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.TopicDeletionDisabledException;
import org.apache.kafka.common.message.DeleteTopicsRequestData;
import org.apache.kafka.common.message.DeleteTopicsResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** delete.topic.enable=false: every DeleteTopics is refused and the topics stay, as on Kafka. */
class TopicDeletionDisabledTest {
    private static RunnelCluster cluster;

    @BeforeAll
    static void start() throws Exception {
        cluster = RunnelCluster.builder().brokerProperty("delete.topic.enable", "false").start();
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void adminDeletionByNameAndByIdIsRefusedAndTheTopicsStay() throws Exception {
        cluster.createTopic("kept-by-name", 1);
        Uuid id = cluster.createTopic("kept-by-id", 1);
        try (Admin admin = cluster.admin()) {
            ExecutionException byName = assertThrows(ExecutionException.class,
                    () -> admin.deleteTopics(List.of("kept-by-name")).all().get());
            assertInstanceOf(TopicDeletionDisabledException.class, byName.getCause());
            ExecutionException byId = assertThrows(ExecutionException.class,
                    () -> admin.deleteTopics(TopicCollection.ofTopicIds(List.of(id))).all().get());
            assertInstanceOf(TopicDeletionDisabledException.class, byId.getCause());
            Set<String> topics = admin.listTopics().names().get();
            assertTrue(topics.containsAll(Set.of("kept-by-name", "kept-by-id")), "topics after refused deletions: " + topics);
        }
    }

    /** DeleteTopics before v3 has no TOPIC_DELETION_DISABLED: Kafka answers INVALID_REQUEST there. */
    @Test
    void versionsBeforeTheDisabledErrorGetInvalidRequest() throws Exception {
        cluster.createTopic("kept-old-client", 1);
        try (ApiConnection connection = new ApiConnection(cluster.bootstrapServers(), "old-admin")) {
            DeleteTopicsResponseData response = (DeleteTopicsResponseData) connection.send(new DeleteTopicsRequestData()
                    .setTopicNames(List.of("kept-old-client")).setTimeoutMs(30_000), (short) 2);
            assertEquals(Errors.INVALID_REQUEST.code(), response.responses().find("kept-old-client").errorCode());
        }
        try (Admin admin = cluster.admin()) {
            assertTrue(admin.listTopics().names().get().contains("kept-old-client"));
        }
    }
}
