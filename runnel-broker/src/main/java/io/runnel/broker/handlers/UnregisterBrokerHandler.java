package io.runnel.broker.handlers;

import io.runnel.broker.protocol.ApiHandler;
import io.runnel.broker.protocol.RequestContext;
import io.runnel.metadata.Controller;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.message.UnregisterBrokerRequestData;
import org.apache.kafka.common.message.UnregisterBrokerResponseData;
import org.apache.kafka.common.protocol.ApiMessage;

/**
 * UnregisterBroker: a retired broker's registration removed by the controller ({@code runnel cluster unregister});
 * a broker that is not registered is answered BROKER_ID_NOT_REGISTERED.
 */
public final class UnregisterBrokerHandler implements ApiHandler {
    private final Controller controller;

    public UnregisterBrokerHandler(Controller controller) {
        this.controller = controller;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestContext ctx, ApiMessage message) {
        UnregisterBrokerRequestData request = (UnregisterBrokerRequestData) message;
        return controller.unregisterBroker(request.brokerId()).thenApply(done -> new UnregisterBrokerResponseData());
    }
}
