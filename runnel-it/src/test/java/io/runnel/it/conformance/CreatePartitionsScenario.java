package io.runnel.it.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.apache.kafka.common.message.CreatePartitionsRequestData;
import org.apache.kafka.common.message.CreatePartitionsResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;

/** CreatePartitions from 1 to 3 (the Admin client sees 3), then to 2 (INVALID_PARTITIONS: only growth). */
final class CreatePartitionsScenario implements ApiScenario {
    @Override
    public ApiKeys api() {
        return ApiKeys.CREATE_PARTITIONS;
    }

    @Override
    public void run(Exchange x) throws Exception {
        String name = "conformance-grown-v" + x.version();
        x.fixture().createTopic(name, 1);
        assertEquals(Errors.NONE.code(), grow(x, name, 3).errorCode(), "growth to 3");
        assertEquals(3, x.fixture().admin().describeTopics(List.of(name)).allTopicNames().get().get(name)
                .partitions().size(), "partitions after growth");
        assertEquals(Errors.INVALID_PARTITIONS.code(), grow(x, name, 2).errorCode(), "shrink to 2");
    }

    private static CreatePartitionsResponseData.CreatePartitionsTopicResult grow(Exchange x, String name, int count)
            throws Exception {
        CreatePartitionsRequestData.CreatePartitionsTopicCollection topics =
                new CreatePartitionsRequestData.CreatePartitionsTopicCollection();
        topics.add(new CreatePartitionsRequestData.CreatePartitionsTopic().setName(name).setCount(count)
                .setAssignments(null));
        CreatePartitionsResponseData response = x.send(new CreatePartitionsRequestData().setTopics(topics)
                .setTimeoutMs(30_000).setValidateOnly(false));
        assertEquals(1, response.results().size(), "results");
        assertEquals(name, response.results().get(0).name(), "topic");
        return response.results().get(0);
    }
}
