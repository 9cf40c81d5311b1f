package io.runnel.broker.handlers;

import io.runnel.broker.protocol.ApiHandler;
import io.runnel.broker.protocol.RequestContext;
import io.runnel.broker.txn.TransactionCoordinator;
import org.apache.kafka.common.message.DescribeTransactionsRequestData;
import org.apache.kafka.common.message.DescribeTransactionsResponseData;
import org.apache.kafka.common.protocol.ApiMessage;

import java.util.concurrent.CompletableFuture;

/**
 * DescribeTransactions: the state of each transactional id this broker coordinates; NOT_COORDINATOR for the others,
 * TRANSACTIONAL_ID_NOT_FOUND for an id it does not know.
 */
public final class DescribeTransactionsHandler implements ApiHandler {
    private final TransactionCoordinator coordinator;

    public DescribeTransactionsHandler(TransactionCoordinator coordinator) {
        this.coordinator = coordinator;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestContext ctx, ApiMessage message) {
        DescribeTransactionsRequestData request = (DescribeTransactionsRequestData) message;
        DescribeTransactionsResponseData response = new DescribeTransactionsResponseData();
        request.transactionalIds().forEach(id -> response.transactionStates().add(coordinator.describe(id)));
        return CompletableFuture.completedFuture(response);
    }
}
