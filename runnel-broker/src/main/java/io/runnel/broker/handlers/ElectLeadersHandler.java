package io.runnel.broker.handlers;

import io.runnel.broker.protocol.ApiHandler;
import io.runnel.broker.protocol.RequestContext;
import io.runnel.broker.replica.ReplicaManager;
import io.runnel.metadata.Controller;
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
        return controller.electLeaders(request).thenCompose(response ->
                replicas.awaitApplied(request.timeoutMs()).thenApply(applied -> response));
    }
}
