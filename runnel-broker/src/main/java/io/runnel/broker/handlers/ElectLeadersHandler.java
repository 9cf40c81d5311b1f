package io.runnel.broker.handlers;

import io.runnel.broker.protocol.ApiHandler;
import io.runnel.broker.protocol.RequestContext;
import io.runnel.broker.replica.ReplicaManager;
import io.runnel.metadata.Controller;
import java.util.ArrayList;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.message.ElectLeadersRequestData;
import org.apache.kafka.common.protocol.ApiMessage;

/**
 * ElectLeaders: preferred and unclean leader elections made by the controller, answered once this broker has applied
 * them, so that its metadata shows the new leaders to the client that asked.
 */
public final class ElectLeadersHandler implements ApiHandler {
    private final Controller controller;
    private final ReplicaManager replicas;

    public ElectLeadersHandler(Controller controller, ReplicaManager replicas) {
        this.controller = controller;
        this.replicas = replicas;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestContext ctx, ApiMessage message) {
        ElectLeadersRequestData request = (ElectLeadersRequestData) message;
        return controller.electLeaders(knownFields(request)).thenCompose(response ->
                replicas.awaitApplied(request.timeoutMs()).thenApply(applied -> response));
    }

    /**
     * The request without the tagged fields this broker does not know: they are ignored, as Kafka does, and not
     * forwarded to the controller, where a malformed list of them could not be written again.
     */
    private static ElectLeadersRequestData knownFields(ElectLeadersRequestData request) {
        ElectLeadersRequestData copy = new ElectLeadersRequestData().setElectionType(request.electionType())
                .setTimeoutMs(request.timeoutMs());
        if (request.topicPartitions() == null) {
            return copy.setTopicPartitions(null);
        }
        for (ElectLeadersRequestData.TopicPartitions topic : request.topicPartitions()) {
            copy.topicPartitions().add(new ElectLeadersRequestData.TopicPartitions().setTopic(topic.topic())
                    .setPartitions(new ArrayList<>(topic.partitions())));
        }
        return copy;
    }
}
