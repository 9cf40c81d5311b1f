package io.runnel.broker.handlers;

import io.runnel.broker.protocol.ApiHandler;
import io.runnel.broker.protocol.RequestContext;
import io.runnel.metadata.Controller;
import org.apache.kafka.common.message.AlterClientQuotasRequestData;
import org.apache.kafka.common.protocol.ApiMessage;

import java.util.concurrent.CompletableFuture;

/** AlterClientQuotas (KIP-546): validated and written by the active controller, wherever the request arrives. */
public final class AlterClientQuotasHandler implements ApiHandler {
    private final Controller controller;

    public AlterClientQuotasHandler(Controller controller) {
        this.controller = controller;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestContext ctx, ApiMessage message) {
        return controller.alterClientQuotas((AlterClientQuotasRequestData) message).thenApply(ApiMessage.class::cast);
    }
}
