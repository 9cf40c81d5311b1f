package io.runnel.broker.handlers;

import io.runnel.broker.protocol.ApiHandler;
import io.runnel.broker.protocol.RequestContext;
import io.runnel.broker.security.Authorization;
import io.runnel.broker.txn.TransactionCoordinator;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.DescribeTransactionsRequestData;
import org.apache.kafka.common.message.DescribeTransactionsResponseData;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.resource.ResourceType;

import java.util.concurrent.CompletableFuture;

/**
 * DescribeTransactions: the state of each transactional id this broker coordinates; NOT_COORDINATOR for the others,
 * TRANSACTIONAL_ID_NOT_FOUND for an id it does not know.
 */
public final class DescribeTransactionsHandler implements ApiHandler {
    private final TransactionCoordinator coordinator;
    private final Authorization authorization;

    public DescribeTransactionsHandler(TransactionCoordinator coordinator, Authorization authorization) {
        this.authorization = authorization;
        this.coordinator = coordinator;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestContext ctx, ApiMessage message) {
        DescribeTransactionsRequestData request = (DescribeTransactionsRequestData) message;
        DescribeTransactionsResponseData response = new DescribeTransactionsResponseData();
        for (String id : request.transactionalIds()) {
            // Kafka: DESCRIBE on the transactional id, and only the topics the principal may describe.
            if (!authorization.allowed(ctx, AclOperation.DESCRIBE, ResourceType.TRANSACTIONAL_ID, id)) {
                response.transactionStates().add(new DescribeTransactionsResponseData.TransactionState()
                        .setTransactionalId(id).setErrorCode(Errors.TRANSACTIONAL_ID_AUTHORIZATION_FAILED.code()));
                continue;
            }
            DescribeTransactionsResponseData.TransactionState state = coordinator.describe(id);
            state.topics().removeIf(t -> !authorization.allowed(ctx, AclOperation.DESCRIBE, ResourceType.TOPIC,
                    t.topic()));
            response.transactionStates().add(state);
        }
        return CompletableFuture.completedFuture(response);
    }
}
