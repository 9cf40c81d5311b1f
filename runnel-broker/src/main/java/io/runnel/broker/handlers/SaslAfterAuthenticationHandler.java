package io.runnel.broker.handlers;

import io.runnel.broker.protocol.ApiHandler;
import io.runnel.broker.protocol.RequestContext;
import org.apache.kafka.common.errors.IllegalSaslStateException;
import org.apache.kafka.common.protocol.ApiMessage;

import java.util.concurrent.CompletableFuture;

/**
 * SaslHandshake and SaslAuthenticate reaching the broker: on a SASL listener they are answered by the connection's
 * authenticator until it completes, so here the connection has authenticated already, or its listener has no SASL.
 * Kafka answers ILLEGAL_SASL_STATE, as Runnel does not re-authenticate a connection.
 */
public final class SaslAfterAuthenticationHandler implements ApiHandler {
    @Override
    public CompletableFuture<ApiMessage> handle(RequestContext ctx, ApiMessage request) {
        return CompletableFuture.failedFuture(new IllegalSaslStateException("Unexpected " + ctx.apiKey().name
                + " request: the connection on listener " + ctx.listenerName() + " ("
                + ctx.securityProtocol().name + ") is not authenticating with SASL"));
    }
}
