package io.runnel.it.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.CreateTopicsRequestData;
import org.apache.kafka.common.message.CreateTopicsResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;

/**
 * CreateTopics with a config: validated only (not created), created (the Admin client lists it), then
 * TOPIC_ALREADY_EXISTS; from v5 the answer
 * carries the partition count, replication factor and configs, from v7 the topic id.
 */
final class CreateTopicsScenario implements ApiScenario {
    @Override
    public ApiKeys api() {
        return ApiKeys.CREATE_TOPICS;
    }

    @Override
    public void run(Exchange x) throws Exception {
        String name = "conformance-created-v" + x.version();
        CreateTopicsResponseData.CreatableTopicResult validated = create(x, name, true);
        assertEquals(Errors.NONE.code(), validated.errorCode(), "validation only");
        assertFalse(x.fixture().admin().listTopics().names().get().contains(name), "a validated topic is not created");

        CreateTopicsResponseData.CreatableTopicResult created = create(x, name, false);
        assertEquals(Errors.NONE.code(), created.errorCode(), "error");
        if (x.atLeast(5)) {
            assertEquals(3, created.numPartitions(), "partitions");
            assertEquals(1, created.replicationFactor(), "replication factor");
            assertTrue(created.configs().stream().anyMatch(c -> c.name().equals("retention.ms")
                    && c.value().equals("3600000")), "the topic's configs: " + created.configs());
        }
        assertEquals(x.atLeast(7), !Uuid.ZERO_UUID.equals(created.topicId()), "topic id (v7+): " + created.topicId());
        assertTrue(x.fixture().admin().listTopics().names().get().contains(name), name + " listed");

        CreateTopicsResponseData.CreatableTopicResult again = create(x, name, false);
        assertEquals(Errors.TOPIC_ALREADY_EXISTS.code(), again.errorCode(), "second creation");
        assertNotEquals(null, again.name(), "name");
    }

    private static CreateTopicsResponseData.CreatableTopicResult create(Exchange x, String name, boolean validateOnly)
            throws Exception {
        CreateTopicsRequestData.CreatableTopicConfigCollection configs = new CreateTopicsRequestData.CreatableTopicConfigCollection();
        configs.add(new CreateTopicsRequestData.CreatableTopicConfig().setName("retention.ms").setValue("3600000"));
        CreateTopicsRequestData.CreatableTopicCollection topics = new CreateTopicsRequestData.CreatableTopicCollection();
        topics.add(new CreateTopicsRequestData.CreatableTopic().setName(name).setNumPartitions(3)
                .setReplicationFactor((short) 1).setConfigs(configs));
        CreateTopicsResponseData response = x.send(new CreateTopicsRequestData().setTopics(topics).setTimeoutMs(30_000)
                .setValidateOnly(validateOnly));
        assertEquals(Set.of(name), Set.copyOf(response.topics().stream().map(CreateTopicsResponseData.CreatableTopicResult::name).toList()), "topics");
        return response.topics().find(name);
    }
}
