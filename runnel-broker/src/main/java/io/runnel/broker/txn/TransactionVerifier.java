package io.runnel.broker.txn;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.message.AddPartitionsToTxnRequestData;
import org.apache.kafka.common.message.AddPartitionsToTxnRequestData.AddPartitionsToTxnTopic;
import org.apache.kafka.common.message.AddPartitionsToTxnRequestData.AddPartitionsToTxnTopicCollection;
import org.apache.kafka.common.message.AddPartitionsToTxnRequestData.AddPartitionsToTxnTransaction;
import org.apache.kafka.common.message.AddPartitionsToTxnRequestData.AddPartitionsToTxnTransactionCollection;
import org.apache.kafka.common.message.AddPartitionsToTxnResponseData;
import org.apache.kafka.common.message.AddPartitionsToTxnResponseData.AddPartitionsToTxnPartitionResult;
import org.apache.kafka.common.message.AddPartitionsToTxnResponseData.AddPartitionsToTxnResult;
import org.apache.kafka.common.message.AddPartitionsToTxnResponseData.AddPartitionsToTxnTopicResult;
import org.apache.kafka.common.protocol.Errors;

/**
 * A partition leader's question to the transaction coordinator before a producer's first transactional write to the
 * partition in a transaction (KIP-890): does the transaction have the partition (the original protocol, whose
 * clients add it themselves: AddPartitionsToTxn with verify_only), or add it (transaction protocol v2, whose clients
 * no longer do: Produce v12+ and TxnOffsetCommit v5+). The coordinator is this broker's state machine when it leads
 * the transactional id's partition of {@code __transaction_state}, else that partition's leader, asked over the
 * inter-broker client. CONCURRENT_TRANSACTIONS (the previous transaction's markers are still being written) is asked
 * again after a short backoff, as Kafka's brokers do, before the writer is told to retry.
 */
public final class TransactionVerifier {
    /** AddPartitionsToTxn v5: the batched form brokers send. */
    private static final short VERSION = 5;
    private static final long REQUEST_TIMEOUT_MS = 10_000;
    /** Kafka's add.partitions.to.txn.retry.backoff.ms and .max.ms defaults. */
    private static final long RETRY_BACKOFF_MS = 20;
    private static final long RETRY_BACKOFF_MAX_MS = 100;

    private final int nodeId;
    private final TransactionCoordinator coordinator;
    private final TransactionStateMachine transactions;
    private final InterBrokerMarkerSender.BrokerRequests requests;

    /** @param requests sends to a broker on a channel of its own (not behind markers waiting on replication) */
    public TransactionVerifier(int nodeId, TransactionCoordinator coordinator, TransactionStateMachine transactions,
                               InterBrokerMarkerSender.BrokerRequests requests) {
        this.nodeId = nodeId;
        this.coordinator = coordinator;
        this.transactions = transactions;
        this.requests = requests;
    }

    /**
     * The coordinator's answer for each partition in the producer's transaction: NONE when the transaction has (or
     * now has) the partition, else the coordinator's error (a failure to reach it is COORDINATOR_NOT_AVAILABLE).
     */
    public CompletableFuture<Map<TopicPartition, Errors>> verify(String transactionalId, long producerId, short epoch,
                                                                 Set<TopicPartition> partitions, boolean add) {
        return ask(transactionalId, producerId, epoch, partitions, add, RETRY_BACKOFF_MS);
    }

    private CompletableFuture<Map<TopicPartition, Errors>> ask(String transactionalId, long producerId, short epoch,
                                                              Set<TopicPartition> partitions, boolean add,
                                                              long backoffMs) {
        return coordinator.coordinatorOf(transactionalId)
                .thenCompose(broker -> broker == nodeId
                        ? local(transactionalId, producerId, epoch, partitions, add)
                        : remote(broker, transactionalId, producerId, epoch, partitions, add))
                .exceptionally(failure -> all(partitions, errorOf(failure)))
                .thenCompose(errors -> {
                    if (!errors.containsValue(Errors.CONCURRENT_TRANSACTIONS) || backoffMs > RETRY_BACKOFF_MAX_MS) {
                        return CompletableFuture.completedFuture(errors);
                    }
                    Executor later = CompletableFuture.delayedExecutor(backoffMs, TimeUnit.MILLISECONDS);
                    return CompletableFuture.supplyAsync(() -> null, later).thenCompose(ignored ->
                            ask(transactionalId, producerId, epoch, partitions, add, backoffMs * 2));
                });
    }

    private CompletableFuture<Map<TopicPartition, Errors>> local(String transactionalId, long producerId, short epoch,
                                                                Set<TopicPartition> partitions, boolean add) {
        if (add) {
            return transactions.addPartitions(transactionalId, producerId, epoch, partitions, TransactionVersions.TV2)
                    .thenApply(done -> all(partitions, Errors.NONE));
        }
        try {
            return CompletableFuture.completedFuture(
                    transactions.verifyPartitions(transactionalId, producerId, epoch, partitions));
        } catch (ApiException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private CompletableFuture<Map<TopicPartition, Errors>> remote(int broker, String transactionalId, long producerId,
                                                                 short epoch, Set<TopicPartition> partitions,
                                                                 boolean add) {
        Map<String, List<Integer>> byTopic = new HashMap<>();
        partitions.forEach(tp -> byTopic.computeIfAbsent(tp.topic(), t -> new ArrayList<>()).add(tp.partition()));
        AddPartitionsToTxnTopicCollection topics = new AddPartitionsToTxnTopicCollection();
        byTopic.forEach((topic, indexes) -> topics.add(new AddPartitionsToTxnTopic().setName(topic)
                .setPartitions(indexes)));
        AddPartitionsToTxnTransactionCollection txns = new AddPartitionsToTxnTransactionCollection();
        txns.add(new AddPartitionsToTxnTransaction().setTransactionalId(transactionalId).setProducerId(producerId)
                .setProducerEpoch(epoch).setVerifyOnly(!add).setTopics(topics));
        return requests.send(broker, new AddPartitionsToTxnRequestData().setTransactions(txns), VERSION,
                REQUEST_TIMEOUT_MS).thenApply(response -> partitionErrors((AddPartitionsToTxnResponseData) response,
                transactionalId, partitions));
    }

    private static Map<TopicPartition, Errors> partitionErrors(AddPartitionsToTxnResponseData response,
                                                               String transactionalId, Set<TopicPartition> partitions) {
        if (response.errorCode() != Errors.NONE.code()) {
            return all(partitions, Errors.forCode(response.errorCode()));
        }
        AddPartitionsToTxnResult txn = response.resultsByTransaction().find(transactionalId);
        Map<TopicPartition, Errors> errors = new HashMap<>();
        for (TopicPartition tp : partitions) {
            AddPartitionsToTxnTopicResult topic = txn == null ? null : txn.topicResults().find(tp.topic());
            AddPartitionsToTxnPartitionResult partition = topic == null ? null
                    : topic.resultsByPartition().find(tp.partition());
            errors.put(tp, partition == null ? Errors.UNKNOWN_SERVER_ERROR
                    : Errors.forCode(partition.partitionErrorCode()));
        }
        return errors;
    }

    private static Map<TopicPartition, Errors> all(Set<TopicPartition> partitions, Errors error) {
        Map<TopicPartition, Errors> errors = new HashMap<>();
        partitions.forEach(tp -> errors.put(tp, error));
        return errors;
    }

    /**
     * The error a producer is answered for the coordinator's: a coordinator not reachable or not ready, or the
     * previous transaction still ending, is NOT_ENOUGH_REPLICAS, which every client retries; PRODUCER_FENCED, which
     * older Produce versions do not know, is INVALID_PRODUCER_EPOCH.
     */
    public static Errors forProduce(Errors error) {
        return switch (error) {
            case CONCURRENT_TRANSACTIONS, COORDINATOR_LOAD_IN_PROGRESS, COORDINATOR_NOT_AVAILABLE, NOT_COORDINATOR,
                 NETWORK_EXCEPTION, BROKER_NOT_AVAILABLE, REQUEST_TIMED_OUT -> Errors.NOT_ENOUGH_REPLICAS;
            case PRODUCER_FENCED -> Errors.INVALID_PRODUCER_EPOCH;
            default -> error;
        };
    }

    /** The same for TxnOffsetCommit, whose clients retry COORDINATOR_LOAD_IN_PROGRESS. */
    public static Errors forOffsetCommit(Errors error) {
        Errors forProduce = forProduce(error);
        return forProduce == Errors.NOT_ENOUGH_REPLICAS ? Errors.COORDINATOR_LOAD_IN_PROGRESS : forProduce;
    }

    private static Errors errorOf(Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        return cause instanceof ApiException api && !(api instanceof TimeoutException)
                ? Errors.forException(api) : Errors.COORDINATOR_NOT_AVAILABLE;
    }
}
