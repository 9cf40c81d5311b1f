package io.runnel.broker.handlers;

import io.runnel.broker.protocol.ApiHandler;
import io.runnel.broker.protocol.RequestContext;
import io.runnel.broker.replica.ReplicaManager;
import io.runnel.metadata.Controller;
import java.util.ArrayList;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.message.AlterPartitionReassignmentsRequestData;
import org.apache.kafka.common.message.AlterPartitionReassignmentsRequestData.ReassignablePartition;
import org.apache.kafka.common.message.AlterPartitionReassignmentsRequestData.ReassignableTopic;
import org.apache.kafka.common.protocol.ApiMessage;

/**
 * AlterPartitionReassignments: the controller starts, replaces or cancels each partition's reassignment; answered once
 * this broker has applied the change, so that its metadata shows the replicas being added.
 */
public final class AlterPartitionReassignmentsHandler implements ApiHandler {
    private final Controller controller;
    private final ReplicaManager replicas;

    public AlterPartitionReassignmentsHandler(Controller controller, ReplicaManager replicas) {
        this.controller = controller;
        this.replicas = replicas;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestContext ctx, ApiMessage message) {
        AlterPartitionReassignmentsRequestData request = (AlterPartitionReassignmentsRequestData) message;
        return controller.alterPartitionReassignments(knownFields(request)).thenCompose(response ->
                replicas.awaitApplied(request.timeoutMs()).thenApply(applied -> response));
    }

    /** The request without tagged fields this broker does not know, which are ignored as Kafka does. */
    private static AlterPartitionReassignmentsRequestData knownFields(AlterPartitionReassignmentsRequestData request) {
        AlterPartitionReassignmentsRequestData copy = new AlterPartitionReassignmentsRequestData()
                .setTimeoutMs(request.timeoutMs())
                .setAllowReplicationFactorChange(request.allowReplicationFactorChange());
        for (ReassignableTopic topic : request.topics()) {
            ReassignableTopic topicCopy = new ReassignableTopic().setName(topic.name());
            for (ReassignablePartition partition : topic.partitions()) {
                topicCopy.partitions().add(new ReassignablePartition().setPartitionIndex(partition.partitionIndex())
                        .setReplicas(partition.replicas() == null ? null : new ArrayList<>(partition.replicas())));
            }
            copy.topics().add(topicCopy);
        }
        return copy;
    }
}
