package io.runnel.metadata.controller;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.runnel.metadata.Controller;
import io.runnel.metadata.CreateTopicSpec;
import io.runnel.metadata.PartitionRegistration;
import io.runnel.metadata.TopicResult;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.protocol.Errors;

/** Calls on a controller under test, waiting (bounded) for their answers. */
final class ControllerCalls {
    private ControllerCalls() {
    }

    static <T> T get(CompletableFuture<T> future) throws Exception {
        return future.get(10, TimeUnit.SECONDS);
    }

    /** Creates topic {@code name} with one partition on {@code replicas}; returns its id. */
    static Uuid createTopic(Controller controller, String name, List<Integer> replicas) throws Exception {
        TopicResult result = get(controller.createTopics(List.of(new CreateTopicSpec(name, -1, (short) -1,
                Map.of(0, replicas), Map.of())), false)).get(0);
        assertEquals(Errors.NONE, result.error(), result.message());
        return result.topicId();
    }

    /** Partition 0 of the topic, as the log's image has it. */
    static PartitionRegistration firstPartition(InMemoryMetadataLog log, Uuid topicId) {
        return log.image().topicsById().get(topicId).partitions().get(0);
    }
}
