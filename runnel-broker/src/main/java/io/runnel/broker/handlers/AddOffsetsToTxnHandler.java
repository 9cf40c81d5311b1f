package io.runnel.broker.handlers;

import io.runnel.broker.group.GroupCoordinator;
import io.runnel.broker.protocol.ApiHandler;
import io.runnel.broker.protocol.InternalTopics;
import io.runnel.broker.protocol.RequestContext;
import io.runnel.broker.security.Authorization;
import io.runnel.broker.txn.TransactionStateMachine;
import io.runnel.broker.txn.TransactionVersions;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.AddOffsetsToTxnRequestData;
import org.apache.kafka.common.message.AddOffsetsToTxnResponseData;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;

import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * AddOffsetsToTxn: adds the group's {@code __consumer_offsets} partition to the transaction, as Kafka does, so that
 * its markers cover the offsets the producer then commits in the transaction.
 */
public final class AddOffsetsToTxnHandler implements ApiHandler {
    private static final short FIRST_VERSION_WITH_PRODUCER_FENCED = 2;

    private final TransactionStateMachine transactions;
    private final GroupCoordinator groups;
    private final Authorization authorization;

    public AddOffsetsToTxnHandler(TransactionStateMachine transactions, GroupCoordinator groups,
                                  Authorization authorization) {
        this.authorization = authorization;
        this.transactions = transactions;
        this.groups = groups;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestContext ctx, ApiMessage message) {
        AddOffsetsToTxnRequestData request = (AddOffsetsToTxnRequestData) message;
        authorization.requireOnTransactionalId(ctx, AclOperation.WRITE, request.transactionalId());
        authorization.requireOnGroup(ctx, AclOperation.READ, request.groupId());
        TopicPartition offsets = new TopicPartition(InternalTopics.CONSUMER_OFFSETS, groups.partitionFor(request.groupId()));
        return transactions.addPartitions(request.transactionalId(), request.producerId(), request.producerEpoch(),
                Set.of(offsets), TransactionVersions.TV0).handle((done, error) -> new AddOffsetsToTxnResponseData().setErrorCode(error == null
                ? Errors.NONE.code()
                : TransactionErrors.forVersion(error, ctx.apiVersion(), FIRST_VERSION_WITH_PRODUCER_FENCED).code()));
    }
}
