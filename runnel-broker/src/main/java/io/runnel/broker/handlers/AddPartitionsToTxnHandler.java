package io.runnel.broker.handlers;

import io.runnel.broker.protocol.ApiHandler;
import io.runnel.broker.protocol.RequestContext;
import io.runnel.broker.replica.ReplicaManager;
import io.runnel.broker.security.Authorization;
import io.runnel.broker.txn.TransactionStateMachine;
import io.runnel.broker.txn.TransactionVersions;
import io.runnel.metadata.MetadataImage;
import io.runnel.metadata.TopicImage;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.message.AddPartitionsToTxnRequestData;
import org.apache.kafka.common.message.AddPartitionsToTxnRequestData.AddPartitionsToTxnTopicCollection;
import org.apache.kafka.common.message.AddPartitionsToTxnRequestData.AddPartitionsToTxnTransaction;
import org.apache.kafka.common.message.AddPartitionsToTxnResponseData;
import org.apache.kafka.common.message.AddPartitionsToTxnResponseData.AddPartitionsToTxnPartitionResult;
import org.apache.kafka.common.message.AddPartitionsToTxnResponseData.AddPartitionsToTxnPartitionResultCollection;
import org.apache.kafka.common.message.AddPartitionsToTxnResponseData.AddPartitionsToTxnResult;
import org.apache.kafka.common.message.AddPartitionsToTxnResponseData.AddPartitionsToTxnTopicResult;
import org.apache.kafka.common.message.AddPartitionsToTxnResponseData.AddPartitionsToTxnTopicResultCollection;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.resource.ResourceType;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * AddPartitionsToTxn: v0-v3 one transaction of a producer; v4+ (KIP-890) a batch of transactions, each either added
 * or, with verify_only, checked (a partition is NONE if its transaction has it, else INVALID_TXN_STATE). A request
 * naming an unknown partition adds nothing: UNKNOWN_TOPIC_OR_PARTITION for those, OPERATION_NOT_ATTEMPTED for the
 * others, as Kafka answers.
 */
public final class AddPartitionsToTxnHandler implements ApiHandler {
    private static final short FIRST_BATCHED_VERSION = 4;
    private static final short FIRST_VERSION_WITH_PRODUCER_FENCED = 2;

    private final TransactionStateMachine transactions;
    private final ReplicaManager replicas;
    private final Authorization authorization;

    public AddPartitionsToTxnHandler(TransactionStateMachine transactions, ReplicaManager replicas,
                                     Authorization authorization) {
        this.authorization = authorization;
        this.transactions = transactions;
        this.replicas = replicas;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestContext ctx, ApiMessage message) {
        AddPartitionsToTxnRequestData request = (AddPartitionsToTxnRequestData) message;
        short version = ctx.apiVersion();
        if (version < FIRST_BATCHED_VERSION) {
            return transaction(ctx, request.v3AndBelowTransactionalId(), request.v3AndBelowProducerId(),
                    request.v3AndBelowProducerEpoch(), false, request.v3AndBelowTopics(), version)
                    .thenApply(results -> new AddPartitionsToTxnResponseData().setResultsByTopicV3AndBelow(results));
        }
        // Kafka: the batched versions are the brokers' own, which need CLUSTER_ACTION.
        authorization.requireOnCluster(ctx, AclOperation.CLUSTER_ACTION);
        List<CompletableFuture<AddPartitionsToTxnResult>> results = new ArrayList<>();
        for (AddPartitionsToTxnTransaction txn : request.transactions()) {
            results.add(transaction(ctx, txn.transactionalId(), txn.producerId(), txn.producerEpoch(), txn.verifyOnly(),
                    txn.topics(), version).thenApply(topics -> new AddPartitionsToTxnResult()
                    .setTransactionalId(txn.transactionalId()).setTopicResults(topics)));
        }
        return CompletableFuture.allOf(results.toArray(CompletableFuture[]::new)).thenApply(done -> {
            AddPartitionsToTxnResponseData response = new AddPartitionsToTxnResponseData();
            results.forEach(r -> response.resultsByTransaction().add(r.join()));
            return response;
        });
    }

    private CompletableFuture<AddPartitionsToTxnTopicResultCollection> transaction(RequestContext ctx,
            String transactionalId, long producerId, short epoch, boolean verifyOnly,
            AddPartitionsToTxnTopicCollection topics, short version) {
        Set<TopicPartition> partitions = new LinkedHashSet<>();
        topics.forEach(t -> t.partitions().forEach(p -> partitions.add(new TopicPartition(t.name(), p))));
        Map<TopicPartition, Errors> errors = new LinkedHashMap<>();
        // Kafka: WRITE on the transactional id, then on each topic; the partitions of allowed topics are not attempted.
        if (!authorization.allowed(ctx, AclOperation.WRITE, ResourceType.TRANSACTIONAL_ID, transactionalId)) {
            partitions.forEach(tp -> errors.put(tp, Errors.TRANSACTIONAL_ID_AUTHORIZATION_FAILED));
            return CompletableFuture.completedFuture(results(errors));
        }
        List<TopicPartition> denied = partitions.stream()
                .filter(tp -> !authorization.allowed(ctx, AclOperation.WRITE, ResourceType.TOPIC, tp.topic())).toList();
        if (!denied.isEmpty()) {
            partitions.forEach(tp -> errors.put(tp,
                    denied.contains(tp) ? Errors.TOPIC_AUTHORIZATION_FAILED : Errors.OPERATION_NOT_ATTEMPTED));
            return CompletableFuture.completedFuture(results(errors));
        }
        MetadataImage image = replicas.image();
        List<TopicPartition> unknown = partitions.stream().filter(tp -> !exists(image, tp)).toList();
        if (!unknown.isEmpty()) {
            partitions.forEach(tp -> errors.put(tp,
                    unknown.contains(tp) ? Errors.UNKNOWN_TOPIC_OR_PARTITION : Errors.OPERATION_NOT_ATTEMPTED));
            return CompletableFuture.completedFuture(results(errors));
        }
        if (verifyOnly) {
            try {
                errors.putAll(transactions.verifyPartitions(transactionalId, producerId, epoch, partitions));
            } catch (ApiException e) {
                Errors error = TransactionErrors.forVersion(e, version, FIRST_VERSION_WITH_PRODUCER_FENCED);
                partitions.forEach(tp -> errors.put(tp, error));
            }
            return CompletableFuture.completedFuture(results(errors));
        }
        // Only brokers send v4+: a partition leader adding a partition for a producer of transaction protocol v2.
        short transactionVersion = version >= FIRST_BATCHED_VERSION ? TransactionVersions.TV2 : TransactionVersions.TV0;
        return transactions.addPartitions(transactionalId, producerId, epoch, partitions, transactionVersion)
                .handle((done, failure) -> {
            Errors error = failure == null ? Errors.NONE
                    : TransactionErrors.forVersion(failure, version, FIRST_VERSION_WITH_PRODUCER_FENCED);
            partitions.forEach(tp -> errors.put(tp, error));
            return results(errors);
        });
    }

    private static boolean exists(MetadataImage image, TopicPartition tp) {
        TopicImage topic = image == null ? null : image.topicsByName().get(tp.topic());
        return topic != null && topic.partitions().containsKey(tp.partition());
    }

    private static AddPartitionsToTxnTopicResultCollection results(Map<TopicPartition, Errors> errors) {
        Map<String, AddPartitionsToTxnPartitionResultCollection> byTopic = new LinkedHashMap<>();
        errors.forEach((tp, error) -> byTopic.computeIfAbsent(tp.topic(), t -> new AddPartitionsToTxnPartitionResultCollection())
                .add(new AddPartitionsToTxnPartitionResult().setPartitionIndex(tp.partition())
                        .setPartitionErrorCode(error.code())));
        AddPartitionsToTxnTopicResultCollection results = new AddPartitionsToTxnTopicResultCollection();
        byTopic.forEach((topic, partitions) -> results.add(new AddPartitionsToTxnTopicResult().setName(topic)
                .setResultsByPartition(partitions)));
        return results;
    }
}
