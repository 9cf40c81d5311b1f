package io.runnel.broker.handlers;

import io.runnel.broker.replica.Partition;
import io.runnel.broker.txn.ProducerEpoch;
import io.runnel.broker.txn.TransactionVerifier;
import io.runnel.storage.VerificationGuard;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.message.ProduceResponseData.PartitionProduceResponse;
import org.apache.kafka.common.protocol.Errors;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The partitions of one produce request whose transactional batches wait for the transaction coordinator (KIP-890):
 * the coordinator is asked once per producer for all of them, then each is appended with its guard, or answered the
 * coordinator's error. A producer's batches for a partition are appended in the order their requests arrived, even
 * when a later request's answer comes first (a producer has several requests in flight, each with the next sequence).
 */
final class VerifiedAppends {
    /** Appends one partition's batches once confirmed, filling its response. */
    @FunctionalInterface
    interface Append {
        void append(Partition partition, ByteBuffer batches, VerificationGuard guard, PartitionProduceResponse response);
    }

    /** Per partition and producer, the last append waiting: the next one runs after it, across requests. */
    static final class Queue {
        private record Key(TopicPartition tp, long producerId) {
        }

        private final Map<Key, CompletableFuture<Void>> tails = new ConcurrentHashMap<>();

        /** Runs {@code step} once {@code ready} completes and every earlier step of the partition's producer ran. */
        CompletableFuture<Void> after(TopicPartition tp, long producerId, CompletableFuture<?> ready, Runnable step) {
            Key key = new Key(tp, producerId);
            CompletableFuture<Void> done = new CompletableFuture<>();
            CompletableFuture<Void> previous = tails.put(key, done);
            CompletableFuture<?> before = previous == null ? ready : CompletableFuture.allOf(previous, ready);
            before.whenComplete((ignored, error) -> {
                try {
                    step.run();
                } finally {
                    done.complete(null);
                    tails.remove(key, done);
                }
            });
            return done;
        }
    }

    private final Queue queue;
    private final Map<ProducerEpoch, CompletableFuture<Map<TopicPartition, Errors>>> answers = new HashMap<>();
    private final Map<ProducerEpoch, Set<TopicPartition>> partitions = new HashMap<>();
    private final List<CompletableFuture<Void>> appends = new ArrayList<>();

    VerifiedAppends(Queue queue) {
        this.queue = queue;
    }

    /** Queues the partition's append behind the coordinator's answer for its producer, asked by {@link #run}. */
    void add(ProducerEpoch producer, TopicPartition tp, Partition partition, ByteBuffer batches,
             VerificationGuard guard, PartitionProduceResponse response, Append append) {
        CompletableFuture<Map<TopicPartition, Errors>> answer =
                answers.computeIfAbsent(producer, p -> new CompletableFuture<>());
        partitions.computeIfAbsent(producer, p -> new LinkedHashSet<>()).add(tp);
        appends.add(queue.after(tp, producer.producerId(), answer, () -> {
            Errors error = answer.isCompletedExceptionally() ? Errors.UNKNOWN_SERVER_ERROR
                    : answer.join().getOrDefault(tp, Errors.UNKNOWN_SERVER_ERROR);
            if (error == Errors.NONE) {
                append.append(partition, batches, guard, response);
            } else {
                ProduceHandler.error(response, TransactionVerifier.forProduce(error),
                        "The transaction coordinator answered " + error + " for " + tp);
            }
        }));
    }

    /**
     * Queues the append of batches of a transaction already open on the partition: at once, unless earlier batches of
     * the producer still wait there.
     */
    void addConfirmed(ProducerEpoch producer, TopicPartition tp, Partition partition, ByteBuffer batches,
                      VerificationGuard guard, PartitionProduceResponse response, Append append) {
        appends.add(queue.after(tp, producer.producerId(), CompletableFuture.completedFuture(null),
                () -> append.append(partition, batches, guard, response)));
    }

    /** Asks the coordinator; completes once every waiting partition has its outcome. */
    CompletableFuture<Void> run(TransactionVerifier verifier, String transactionalId, boolean add) {
        if (appends.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        answers.forEach((producer, answer) -> verifier.verify(transactionalId, producer.producerId(), producer.epoch(),
                partitions.get(producer), add).whenComplete((errors, failure) -> {
                    if (failure != null) {
                        answer.completeExceptionally(failure);
                    } else {
                        answer.complete(errors);
                    }
                }));
        return CompletableFuture.allOf(appends.toArray(CompletableFuture[]::new));
    }
}
