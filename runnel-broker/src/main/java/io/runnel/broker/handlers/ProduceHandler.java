package io.runnel.broker.handlers;

import io.runnel.broker.metrics.BrokerTopicMetrics;
import io.runnel.broker.metrics.BrokerTopicMetrics.TopicMetrics;
import io.runnel.broker.protocol.ApiHandler;
import io.runnel.broker.protocol.ProduceRecords;
import io.runnel.broker.protocol.RequestContext;
import io.runnel.broker.quota.ClientQuotas;
import io.runnel.broker.replica.Partition;
import io.runnel.broker.replica.ProducePurgatory;
import io.runnel.broker.replica.ReplicaManager;
import io.runnel.broker.security.Authorization;
import io.runnel.metadata.TopicImage;
import io.runnel.broker.txn.ProducerEpoch;
import io.runnel.broker.txn.TransactionVerifier;
import io.runnel.storage.AppendResult;
import io.runnel.storage.VerificationGuard;
import io.runnel.storage.record.BatchHeader;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.errors.CorruptRecordException;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.message.ProduceResponseData;
import org.apache.kafka.common.message.ProduceResponseData.PartitionProduceResponse;
import org.apache.kafka.common.message.ProduceResponseData.TopicProduceResponse;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.resource.ResourceType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Produce: appends each partition's batches to the log it leads. Every failure is the partition's
 * error code; the request as a whole never fails. acks=1 is answered once the leader has appended;
 * acks=all waits in the produce purgatory until the high watermark passes the appended batches
 * (or the request's timeout passes). A transactional producer's first batch of a transaction on a
 * partition waits for its coordinator to confirm the transaction has the partition (or, from v12,
 * transaction protocol v2, to add it): see {@link TransactionVerifier}.
 */
public final class ProduceHandler implements ApiHandler {
    private static final Logger log = LoggerFactory.getLogger(ProduceHandler.class);
    /** Produce v13 identifies topics by id instead of name. */
    private static final short FIRST_VERSION_WITH_TOPIC_IDS = 13;
    /** Produce v10 names the current leader with NOT_LEADER_OR_FOLLOWER (KIP-951). */
    private static final short FIRST_VERSION_WITH_LEADER_HINTS = 10;
    /** Produce v12+ in a transaction means transaction protocol v2: the leader adds the partition (KIP-890). */
    private static final short FIRST_VERSION_OF_TRANSACTION_V2 = 12;
    /** A record batch's header: the fields read before appending lie within it. */
    private static final int BATCH_HEADER_BYTES = 61;

    private final ReplicaManager replicas;
    private final TransactionVerifier verifier;
    private final VerifiedAppends.Queue verifiedAppends = new VerifiedAppends.Queue();
    private final Authorization authorization;
    /** producer_byte_rate. */
    private final ClientQuotas quotas;
    private final BrokerTopicMetrics topicMetrics;
    /**
     * The errors Kafka does not count as failed produce requests: the client asked the wrong broker, or sent what the
     * log refuses for its size or checksum (the size ones count as rejected bytes instead).
     */
    private static final Set<Errors> NOT_FAILURES = EnumSet.of(Errors.UNKNOWN_TOPIC_OR_PARTITION,
            Errors.NOT_LEADER_OR_FOLLOWER, Errors.MESSAGE_TOO_LARGE, Errors.RECORD_LIST_TOO_LARGE,
            Errors.CORRUPT_MESSAGE, Errors.KAFKA_STORAGE_ERROR, Errors.UNKNOWN_TOPIC_ID);

    /** @param verifier null when transaction.partition.verification.enable is false */
    public ProduceHandler(ReplicaManager replicas, TransactionVerifier verifier, Authorization authorization,
                         ClientQuotas quotas, BrokerTopicMetrics topicMetrics) {
        this.replicas = replicas;
        this.verifier = verifier;
        this.authorization = authorization;
        this.quotas = quotas;
        this.topicMetrics = topicMetrics;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestContext ctx, ApiMessage message) {
        return quotas.afterThrottle(ctx.principal().getName(), ctx.clientId(),
                () -> produce(ctx, (ProduceRequestData) message));
    }

    private CompletableFuture<ApiMessage> produce(RequestContext ctx, ProduceRequestData request) {
        boolean byId = ctx.apiVersion() >= FIRST_VERSION_WITH_TOPIC_IDS;
        ProduceResponseData response = new ProduceResponseData();
        ProducePurgatory.Request replication = replicas.producePurgatory().newRequest();
        VerifiedAppends verifying = new VerifiedAppends(verifiedAppends);
        List<Runnable> leaderHints = new ArrayList<>(0);
        // Kafka: a transactional produce needs WRITE on its transactional id, each topic WRITE on the topic.
        boolean transactionDenied = request.transactionalId() != null && !authorization.allowed(ctx,
                AclOperation.WRITE, ResourceType.TRANSACTIONAL_ID, request.transactionalId());
        for (ProduceRequestData.TopicProduceData topicData : request.topicData()) {
            TopicProduceResponse topicResponse = new TopicProduceResponse();
            if (byId) {
                topicResponse.setTopicId(topicData.topicId());
            } else {
                topicResponse.setName(topicData.name());
            }
            String topicName = byId ? nameOf(topicData) : topicData.name();
            Errors denied = transactionDenied ? Errors.TRANSACTIONAL_ID_AUTHORIZATION_FAILED
                    : topicName != null && !authorization.allowed(ctx, AclOperation.WRITE, ResourceType.TOPIC, topicName)
                    ? Errors.TOPIC_AUTHORIZATION_FAILED : Errors.NONE;
            for (ProduceRequestData.PartitionProduceData partitionData : topicData.partitionData()) {
                PartitionProduceResponse partitionResponse = new PartitionProduceResponse()
                        .setIndex(partitionData.index());
                if (denied != Errors.NONE) {
                    error(partitionResponse, denied, null);
                } else {
                    append(request, topicName, partitionData, topicData, replication, partitionResponse, verifying);
                }
                if (ctx.apiVersion() >= FIRST_VERSION_WITH_LEADER_HINTS && topicName != null) {
                    TopicPartition tp = new TopicPartition(topicName, partitionData.index());
                    leaderHints.add(() -> addLeaderHint(ctx, response, partitionResponse, tp));
                }
                topicResponse.partitionResponses().add(partitionResponse);
            }
            response.responses().add(topicResponse);
        }
        // As Kafka: the records count against the quota whatever became of them; an acks=0 producer is muted too.
        int throttleMs = quotas.record(ctx.principal().getName(), ctx.clientId(), recordBytes(request));
        ctx.throttle().throttleFor(throttleMs);
        response.setThrottleTimeMs(throttleMs);
        boolean add = ctx.apiVersion() >= FIRST_VERSION_OF_TRANSACTION_V2;
        return verifying.run(verifier, request.transactionalId(), add).thenCompose(done -> {
            leaderHints.forEach(Runnable::run);
            return replication.complete(request.timeoutMs());
        }).thenApply(done -> response);
    }

    private static long recordBytes(ProduceRequestData request) {
        long bytes = 0;
        for (ProduceRequestData.TopicProduceData topic : request.topicData()) {
            for (ProduceRequestData.PartitionProduceData partition : topic.partitionData()) {
                bytes += partition.records() == null ? 0 : partition.records().sizeInBytes();
            }
        }
        return bytes;
    }

    private void addLeaderHint(RequestContext ctx, ProduceResponseData response, PartitionProduceResponse partition,
                               TopicPartition tp) {
        if (!LeaderHint.appliesTo(Errors.forCode(partition.errorCode()))) {
            return;
        }
        LeaderHint.of(replicas.image(), tp, ctx.listenerName()).ifPresent(hint -> {
            partition.setCurrentLeader(new ProduceResponseData.LeaderIdAndEpoch()
                    .setLeaderId(hint.leaderId()).setLeaderEpoch(hint.leaderEpoch()));
            if (hint.endpoint() != null && response.nodeEndpoints().find(hint.leaderId()) == null) {
                response.nodeEndpoints().add(new ProduceResponseData.NodeEndpoint().setNodeId(hint.leaderId())
                        .setHost(hint.endpoint().host()).setPort(hint.endpoint().port()).setRack(hint.rack()));
            }
        });
    }

    private String nameOf(ProduceRequestData.TopicProduceData topicData) {
        TopicImage topic = replicas.image().topicsById().get(topicData.topicId());
        return topic == null ? null : topic.name();
    }

    /**
     * Appends one partition's batches, filling {@code response}, or leaves them to {@code verifying} when the
     * transaction coordinator must confirm their transaction first.
     */
    private void append(ProduceRequestData request, String topicName,
                        ProduceRequestData.PartitionProduceData partitionData,
                        ProduceRequestData.TopicProduceData topicData, ProducePurgatory.Request replication,
                        PartitionProduceResponse response, VerifiedAppends verifying) {
        short acks = request.acks();
        if (acks != 0 && acks != 1 && acks != -1) {
            error(response, Errors.INVALID_REQUIRED_ACKS, "acks must be -1, 0 or 1, not " + acks);
            return;
        }
        if (topicName == null) {
            error(response, Errors.UNKNOWN_TOPIC_ID, "Unknown topic id " + topicData.topicId());
            return;
        }
        TopicPartition tp = new TopicPartition(topicName, partitionData.index());
        int bytes = partitionData.records() == null ? 0 : partitionData.records().sizeInBytes();
        TopicMetrics counted = null;
        try {
            ByteBuffer batches = ProduceRecords.buffer(partitionData);
            if (batches == null || !batches.hasRemaining()) {
                throw new CorruptRecordException("Produce request for " + tp + " carries no record batch");
            }
            Partition partition = replicas.leaderPartition(tp);
            // Counted once the partition is known to be led here: its topic exists, so no client can mint meters
            // (and MBeans) by naming topics that do not.
            TopicMetrics metrics = topicMetrics.topic(topicName);
            counted = metrics;
            metrics.produceRequest();
            if (verifier == null || request.transactionalId() == null || batches.remaining() < BATCH_HEADER_BYTES
                    || !BatchHeader.isTransactional(batches, batches.position())) {
                appended(partition.appendAsLeader(batches, acks), partition, acks, replication, response, metrics,
                        bytes);
                return;
            }
            long producerId = BatchHeader.producerId(batches, batches.position());
            short epoch = BatchHeader.producerEpoch(batches, batches.position());
            VerificationGuard guard = partition.startTransactionVerification(producerId, epoch);
            VerifiedAppends.Append append = (confirmed, appending, confirmedGuard, answer) -> {
                try {
                    appended(confirmed.appendVerifiedAsLeader(appending, acks, confirmedGuard), confirmed, acks,
                            replication, answer, metrics, bytes);
                } catch (RuntimeException e) {
                    failed(answer, tp, e, metrics, bytes);
                }
            };
            ProducerEpoch producer = new ProducerEpoch(producerId, epoch);
            if (guard == VerificationGuard.OPEN_TRANSACTION) {
                verifying.addConfirmed(producer, tp, partition, batches, guard, response, append);
            } else {
                verifying.add(producer, tp, partition, batches, guard, response, append);
            }
        } catch (RuntimeException e) {
            failed(response, tp, e, counted, bytes);
        }
    }

    /** Counts the records by the offsets they were given (the batch headers' counts), a retried duplicate not at all. */
    private static void appended(AppendResult result, Partition partition, short acks,
                                 ProducePurgatory.Request replication, PartitionProduceResponse response,
                                 TopicMetrics metrics, int bytes) {
        if (!result.duplicate()) {
            metrics.appended(result.lastOffset() - result.firstOffset() + 1, bytes);
        }
        response.setBaseOffset(result.firstOffset())
                .setLogAppendTimeMs(result.logAppendTime())
                .setLogStartOffset(result.logStartOffset());
        if (acks == -1) {
            replication.await(partition, result.lastOffset() + 1, response);
        }
    }

    /** @param metrics the topic's, null when the partition is not led here (nothing is counted then) */
    private static void failed(PartitionProduceResponse response, TopicPartition tp, RuntimeException e,
                               TopicMetrics metrics, int bytes) {
        Errors error;
        if (e instanceof ApiException) {
            error = Errors.forException(e);
            error(response, error, e.getMessage());
        } else {
            log.error("Produce to {} failed", tp, e);
            error = Errors.UNKNOWN_SERVER_ERROR;
            error(response, error, null);
        }
        if (metrics == null) {
            return;
        }
        if (error == Errors.MESSAGE_TOO_LARGE || error == Errors.RECORD_LIST_TOO_LARGE) {
            metrics.bytesRejected(bytes);
        } else if (!NOT_FAILURES.contains(error)) {
            metrics.produceFailed();
        }
    }

    static void error(PartitionProduceResponse response, Errors error, String message) {
        response.setErrorCode(error.code())
                .setErrorMessage(message)
                .setBaseOffset(-1)
                .setLogAppendTimeMs(-1)
                .setLogStartOffset(-1);
    }
}
