package io.runnel.broker.handlers;

import io.runnel.broker.protocol.ApiHandler;
import io.runnel.broker.protocol.RequestContext;
import io.runnel.metadata.Controller;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.message.ListPartitionReassignmentsRequestData;
import org.apache.kafka.common.message.ListPartitionReassignmentsRequestData.ListPartitionReassignmentsTopics;
import org.apache.kafka.common.protocol.ApiMessage;

/** ListPartitionReassignments: the reassignments in progress, as the active controller's image holds them. */
public final class ListPartitionReassignmentsHandler implements ApiHandler {
    private final Controller controller;

    public ListPartitionReassignmentsHandler(Controller controller) {
        this.controller = controller;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestContext ctx, ApiMessage message) {
        ListPartitionReassignmentsRequestData request = (ListPartitionReassignmentsRequestData) message;
        return controller.listPartitionReassignments(knownFields(request)).thenApply(ApiMessage.class::cast);
    }

    /** The request without tagged fields this broker does not know, which are ignored as Kafka does. */
    private static ListPartitionReassignmentsRequestData knownFields(ListPartitionReassignmentsRequestData request) {
        ListPartitionReassignmentsRequestData copy = new ListPartitionReassignmentsRequestData()
                .setTimeoutMs(request.timeoutMs());
        if (request.topics() == null) {
            return copy.setTopics(null);
        }
        List<ListPartitionReassignmentsTopics> topics = new ArrayList<>();
        for (ListPartitionReassignmentsTopics topic : request.topics()) {
            topics.add(new ListPartitionReassignmentsTopics().setName(topic.name())
                    .setPartitionIndexes(new ArrayList<>(topic.partitionIndexes())));
        }
        return copy.setTopics(topics);
    }
}
