package io.runnel.broker.handlers;

import io.runnel.broker.protocol.ApiHandler;
import io.runnel.broker.protocol.RequestContext;
import io.runnel.broker.security.Authorization;
import io.runnel.broker.txn.TransactionCoordinator;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.ListTransactionsRequestData;
import org.apache.kafka.common.message.ListTransactionsResponseData;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.resource.ResourceType;

import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * ListTransactions: the transactions this broker coordinates, filtered by state, producer id, running time (v1+) and
 * transactional id pattern (v2+, a regular expression the whole id must match); an invalid pattern is INVALID_REQUEST.
 */
public final class ListTransactionsHandler implements ApiHandler {
    private final TransactionCoordinator coordinator;
    private final Authorization authorization;

    public ListTransactionsHandler(TransactionCoordinator coordinator, Authorization authorization) {
        this.authorization = authorization;
        this.coordinator = coordinator;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestContext ctx, ApiMessage message) {
        ListTransactionsRequestData request = (ListTransactionsRequestData) message;
        String regex = request.transactionalIdPattern();
        Pattern pattern;
        try {
            pattern = regex == null || regex.isEmpty() ? null : Pattern.compile(regex);
        } catch (PatternSyntaxException e) {
            return CompletableFuture.completedFuture(new ListTransactionsResponseData()
                    .setErrorCode(Errors.INVALID_REQUEST.code()));
        }
        ListTransactionsResponseData response = coordinator.list(request.stateFilters(), request.producerIdFilters(),
                request.durationFilter(), pattern, System.currentTimeMillis());
        // Kafka lists only the transactional ids the principal may describe.
        response.transactionStates().removeIf(state -> !authorization.allowed(ctx, AclOperation.DESCRIBE,
                ResourceType.TRANSACTIONAL_ID, state.transactionalId()));
        return CompletableFuture.completedFuture(response);
    }
}
