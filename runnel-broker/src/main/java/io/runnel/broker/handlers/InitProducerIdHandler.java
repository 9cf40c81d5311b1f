package io.runnel.broker.handlers;

import io.runnel.broker.producer.ProducerIdManager;
import io.runnel.broker.protocol.ApiHandler;
import io.runnel.broker.protocol.RequestContext;
import io.runnel.broker.security.Authorization;
import io.runnel.broker.txn.TransactionStateMachine;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.InitProducerIdRequestData;
import org.apache.kafka.common.message.InitProducerIdResponseData;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.resource.ResourceType;

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
    private final Authorization authorization;

    public InitProducerIdHandler(ProducerIdManager producerIds, TransactionStateMachine transactions,
                                 Authorization authorization) {
        this.authorization = authorization;
        this.producerIds = producerIds;
        this.transactions = transactions;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestContext ctx, ApiMessage message) {
        InitProducerIdRequestData request = (InitProducerIdRequestData) message;
        if (request.transactionalId() != null) {
            if (!authorization.allowed(ctx, AclOperation.WRITE, ResourceType.TRANSACTIONAL_ID, request.transactionalId())) {
                return CompletableFuture.completedFuture(failed(Errors.TRANSACTIONAL_ID_AUTHORIZATION_FAILED));
            }
            return transactions.initProducerId(request.transactionalId(), request.transactionTimeoutMs(),
                    request.producerId(), request.producerEpoch()).handle((producer, error) -> error == null
                    ? new InitProducerIdResponseData().setProducerId(producer.producerId()).setProducerEpoch(producer.epoch())
                    : failed(TransactionErrors.forVersion(error, ctx.apiVersion(), FIRST_VERSION_WITH_PRODUCER_FENCED)));
        }
        // Kafka (KIP-679): an idempotent producer needs IDEMPOTENT_WRITE on the cluster or WRITE on some topic.
        if (!authorization.allowedOnCluster(ctx, AclOperation.IDEMPOTENT_WRITE)
                && !authorization.allowedOnAny(ctx, AclOperation.WRITE, ResourceType.TOPIC)) {
            return CompletableFuture.completedFuture(failed(Errors.CLUSTER_AUTHORIZATION_FAILED));
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
