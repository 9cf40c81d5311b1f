package io.runnel.broker.handlers;

import io.runnel.broker.producer.ProducerIdManager;
import io.runnel.broker.protocol.ApiHandler;
import io.runnel.broker.protocol.RequestContext;
import org.apache.kafka.common.message.InitProducerIdRequestData;
import org.apache.kafka.common.message.InitProducerIdResponseData;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.CompletableFuture;

/**
 * InitProducerId for idempotent producers: a fresh producer id at epoch 0 (a producer that asks
 * again, e.g. after an unknown-producer error, simply starts over with a new id, as Kafka does).
 * Runnel has no transaction coordinator: a transactional producer finds none (FindCoordinator for transactions
 * answers COORDINATOR_NOT_AVAILABLE) and never gets here with a transactional id.
 */
public final class InitProducerIdHandler implements ApiHandler {
    private static final Logger log = LoggerFactory.getLogger(InitProducerIdHandler.class);
    private final ProducerIdManager producerIds;

    public InitProducerIdHandler(ProducerIdManager producerIds) {
        this.producerIds = producerIds;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestContext ctx, ApiMessage message) {
        InitProducerIdRequestData request = (InitProducerIdRequestData) message;
        if (request.transactionalId() != null) {
            return CompletableFuture.completedFuture(new InitProducerIdResponseData()
                    .setErrorCode(Errors.NOT_COORDINATOR.code()).setProducerId(-1).setProducerEpoch((short) -1));
        }
        return producerIds.nextId().handle((id, error) -> {
            if (error == null) {
                return new InitProducerIdResponseData().setProducerId(id).setProducerEpoch((short) 0);
            }
            // As Kafka's broker does while it has no block of ids: a retriable error the producer retries.
            log.warn("No producer id block available yet: {}", error.toString());
            return new InitProducerIdResponseData().setErrorCode(Errors.COORDINATOR_LOAD_IN_PROGRESS.code())
                    .setProducerId(-1).setProducerEpoch((short) -1);
        });
    }
}
