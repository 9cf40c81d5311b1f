package io.runnel.broker.handlers;

import io.runnel.broker.producer.ProducerIdManager;
import io.runnel.broker.protocol.ApiHandler;
import io.runnel.broker.protocol.RequestContext;
import io.runnel.broker.txn.TransactionStateMachine;
import org.apache.kafka.common.message.InitProducerIdRequestData;
import org.apache.kafka.common.message.InitProducerIdResponseData;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.CompletableFuture;

/**
 * InitProducerId. Without a transactional id (idempotent producers): a fresh producer id at epoch 0 (a producer that
 * asks again, e.g. after an unknown-producer error, simply starts over with a new id, as Kafka does). With one: the
 * transaction coordinator bumps the id's epoch and fences its previous producer.
 */
public final class InitProducerIdHandler implements ApiHandler {
    private static final Logger log = LoggerFactory.getLogger(InitProducerIdHandler.class);
    private static final short FIRST_VERSION_WITH_PRODUCER_FENCED = 4;
    private final ProducerIdManager producerIds;
    private final TransactionStateMachine transactions;

    public InitProducerIdHandler(ProducerIdManager producerIds, TransactionStateMachine transactions) {
        this.producerIds = producerIds;
        this.transactions = transactions;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestContext ctx, ApiMessage message) {
        InitProducerIdRequestData request = (InitProducerIdRequestData) message;
        if (request.transactionalId() != null) {
            return transactions.initProducerId(request.transactionalId(), request.transactionTimeoutMs(),
                    request.producerId(), request.producerEpoch()).handle((producer, error) -> error == null
                    ? new InitProducerIdResponseData().setProducerId(producer.producerId()).setProducerEpoch(producer.epoch())
                    : failed(TransactionErrors.forVersion(error, ctx.apiVersion(), FIRST_VERSION_WITH_PRODUCER_FENCED)));
        }
        return producerIds.nextId().handle((id, error) -> {
            if (error == null) {
                return new InitProducerIdResponseData().setProducerId(id).setProducerEpoch((short) 0);
            }
            // As Kafka's broker does while it has no block of ids: a retriable error the producer retries.
            log.warn("No producer id block available yet: {}", error.toString());
            return failed(Errors.COORDINATOR_LOAD_IN_PROGRESS);
        });
    }

    private static InitProducerIdResponseData failed(Errors error) {
        return new InitProducerIdResponseData().setErrorCode(error.code()).setProducerId(-1).setProducerEpoch((short) -1);
    }
}
