package io.runnel.broker.handlers;

import io.runnel.broker.protocol.ApiHandler;
import io.runnel.broker.protocol.RequestContext;
import io.runnel.broker.security.Authorization;
import io.runnel.broker.txn.TransactionStateMachine;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.EndTxnRequestData;
import org.apache.kafka.common.message.EndTxnResponseData;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;

import java.util.concurrent.CompletableFuture;

/**
 * EndTxn: answered once the coordinator has committed PrepareCommit / PrepareAbort; the markers are written after.
 * v5+ is transaction protocol v2 (KIP-890): the end bumps the producer's epoch and the response names the producer id
 * and epoch it continues with; before v5 the producer keeps its epoch.
 */
public final class EndTxnHandler implements ApiHandler {
    private static final short FIRST_VERSION_WITH_PRODUCER_FENCED = 2;
    private static final short FIRST_VERSION_OF_TRANSACTION_V2 = 5;

    private final TransactionStateMachine transactions;
    private final Authorization authorization;

    public EndTxnHandler(TransactionStateMachine transactions, Authorization authorization) {
        this.authorization = authorization;
        this.transactions = transactions;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestContext ctx, ApiMessage message) {
        EndTxnRequestData request = (EndTxnRequestData) message;
        authorization.requireOnTransactionalId(ctx, AclOperation.WRITE, request.transactionalId());
        boolean transactionV2 = ctx.apiVersion() >= FIRST_VERSION_OF_TRANSACTION_V2;
        return transactions.endTransaction(request.transactionalId(), request.producerId(), request.producerEpoch(),
                request.committed(), transactionV2).handle((next, error) -> {
                    if (error != null) {
                        return new EndTxnResponseData().setErrorCode(TransactionErrors.forVersion(error,
                                ctx.apiVersion(), FIRST_VERSION_WITH_PRODUCER_FENCED).code());
                    }
                    EndTxnResponseData response = new EndTxnResponseData();
                    if (transactionV2) {
                        response.setProducerId(next.producerId()).setProducerEpoch(next.epoch());
                    }
                    return response;
                });
    }
}
