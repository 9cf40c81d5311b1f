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
 * Transaction protocol v1: the producer keeps its epoch (v5's producer id and epoch fields stay unset).
 */
public final class EndTxnHandler implements ApiHandler {
    private static final short FIRST_VERSION_WITH_PRODUCER_FENCED = 2;

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
        return transactions.endTransaction(request.transactionalId(), request.producerId(), request.producerEpoch(),
                request.committed()).handle((done, error) -> new EndTxnResponseData().setErrorCode(error == null
                ? Errors.NONE.code()
                : TransactionErrors.forVersion(error, ctx.apiVersion(), FIRST_VERSION_WITH_PRODUCER_FENCED).code()));
    }
}
