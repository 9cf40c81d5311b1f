package io.runnel.broker.protocol;

import org.apache.kafka.common.protocol.ApiMessage;

import java.util.concurrent.CompletableFuture;

/** Serves one API: takes its {@code *RequestData}, completes with its {@code *ResponseData}. */
@FunctionalInterface
public interface ApiHandler {
    /**
     * Called on the connection's event-loop thread: must not block. The request's record sections (produce) are views
     * of the network frame, valid until the returned future completes. Completing exceptionally (or throwing) answers
     * with the API's error response for that exception, i.e. {@code Errors.forException(e)}.
     */
    CompletableFuture<ApiMessage> handle(RequestContext ctx, ApiMessage request);
}
