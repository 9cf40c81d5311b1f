package io.runnel.broker.handlers;

import io.runnel.broker.protocol.ApiHandler;
import io.runnel.broker.protocol.RequestContext;
import io.runnel.metadata.Controller;
import io.runnel.metadata.TopicResult;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.DeleteTopicsRequestData;
import org.apache.kafka.common.message.DeleteTopicsResponseData;
import org.apache.kafka.common.message.DeleteTopicsResponseData.DeletableTopicResult;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** DeleteTopics by name (all versions) or by topic id (v6+); the logs go when the broker applies the removal. */
public final class DeleteTopicsHandler implements ApiHandler {
    private final Controller controller;

    public DeleteTopicsHandler(Controller controller) {
        this.controller = controller;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestContext ctx, ApiMessage message) {
        DeleteTopicsRequestData request = (DeleteTopicsRequestData) message;
        List<String> names = new ArrayList<>(request.topicNames());
        List<Uuid> ids = new ArrayList<>();
        for (DeleteTopicsRequestData.DeleteTopicState state : request.topics()) {
            if (state.name() != null) {
                names.add(state.name());
            } else {
                ids.add(state.topicId());
            }
        }
        return controller.deleteTopics(names, ids).thenApply(results -> {
            DeleteTopicsResponseData response = new DeleteTopicsResponseData();
            for (TopicResult result : results) {
                DeletableTopicResult topic = new DeletableTopicResult()
                        .setName(result.name())
                        .setErrorCode(result.error().code())
                        .setErrorMessage(result.error() == Errors.NONE ? null : result.message());
                if (result.topicId() != null) {
                    topic.setTopicId(result.topicId());
                }
                response.responses().add(topic);
            }
            return response;
        });
    }
}
