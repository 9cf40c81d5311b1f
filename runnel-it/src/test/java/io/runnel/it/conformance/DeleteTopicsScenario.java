package io.runnel.it.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.List;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.DeleteTopicsRequestData;
import org.apache.kafka.common.message.DeleteTopicsResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;

/** DeleteTopics by name (and from v6 by id): deleted, gone from the Admin client's list; an unknown name errs. */
final class DeleteTopicsScenario implements ApiScenario {
    @Override
    public ApiKeys api() {
        return ApiKeys.DELETE_TOPICS;
    }

    @Override
    public void run(Exchange x) throws Exception {
        String byName = "conformance-deleted-v" + x.version();
        String unknown = "conformance-never-created-v" + x.version();
        x.fixture().createTopic(byName, 1);
        DeleteTopicsRequestData request = new DeleteTopicsRequestData().setTimeoutMs(30_000);
        String byId = "conformance-deleted-by-id-v" + x.version();
        Uuid id = null;
        if (x.atLeast(6)) {
            id = x.fixture().createTopic(byId, 1);
            request.setTopics(List.of(new DeleteTopicsRequestData.DeleteTopicState().setName(byName),
                    new DeleteTopicsRequestData.DeleteTopicState().setName(unknown),
                    new DeleteTopicsRequestData.DeleteTopicState().setName(null).setTopicId(id)));
        } else {
            request.setTopicNames(List.of(byName, unknown));
        }
        DeleteTopicsResponseData response = x.send(request);
        assertEquals(Errors.NONE.code(), response.responses().find(byName).errorCode(), "deletion by name");
        assertEquals(Errors.UNKNOWN_TOPIC_OR_PARTITION.code(), response.responses().find(unknown).errorCode(),
                "deletion of an unknown topic");
        if (id != null) {
            Uuid deletedId = id;
            DeleteTopicsResponseData.DeletableTopicResult result = response.responses().stream()
                    .filter(r -> deletedId.equals(r.topicId())).findFirst().orElseThrow();
            assertEquals(Errors.NONE.code(), result.errorCode(), "deletion by id");
            assertEquals(byId, result.name(), "name of the topic deleted by id");
        }
        java.util.Set<String> left = x.fixture().admin().listTopics().names().get();
        assertFalse(left.contains(byName) || left.contains(byId), "deleted topics listed: " + left);
    }
}
