package io.runnel.broker.txn;

import io.netty.util.concurrent.DefaultThreadFactory;
import io.runnel.broker.coordinator.CoordinatorRuntime;
import io.runnel.broker.coordinator.CoordinatorTopic;
import io.runnel.broker.protocol.InternalTopics;
import io.runnel.broker.replica.LeadershipListener;
import io.runnel.broker.replica.Partition;
import io.runnel.broker.replica.ReplicaManager;
import io.runnel.metadata.Controller;
import io.runnel.metadata.CreateTopicSpec;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.errors.CoordinatorLoadInProgressException;
import org.apache.kafka.common.errors.CoordinatorNotAvailableException;
import org.apache.kafka.common.errors.NotCoordinatorException;
import org.apache.kafka.common.message.DescribeTransactionsResponseData;
import org.apache.kafka.common.message.ListTransactionsResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongConsumer;
import java.util.regex.Pattern;

/**
 * Routes a transactional id to its {@code __transaction_state} partition (Kafka's hash) and keeps one
 * {@link TransactionShard} per partition led here: loaded by replaying the partition on its own thread when leadership
 * arrives, unloaded when it goes. Creates the topic on demand. Each shard writes through the
 * {@link CoordinatorRuntime}, its epoch being the partition's leader epoch.
 */
public final class TransactionCoordinator implements LeadershipListener, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(TransactionCoordinator.class);

    private final TransactionConfig config;
    private final CoordinatorTopic topic;
    private final CoordinatorRuntime runtime;
    /** Told each partition's load time; set once at start-up. */
    private volatile LongConsumer loadTimes = nanos -> { };
    private final Map<Integer, TransactionShard> shards = new ConcurrentHashMap<>();
    private final List<Consumer<TransactionShard>> loadListeners = new CopyOnWriteArrayList<>();
    /** Loading and the periodic checks read and write logs: never on an event loop or the metadata thread. */
    private final ScheduledExecutorService background =
            Executors.newSingleThreadScheduledExecutor(new DefaultThreadFactory("runnel-txn-coordinator", true));

    public TransactionCoordinator(TransactionConfig config, ReplicaManager replicas, Controller controller,
                                  CoordinatorRuntime runtime) {
        this.config = config;
        // Kafka's settings of the transaction state topic.
        Map<String, String> topicConfigs = Map.of("cleanup.policy", "compact", "compression.type", "uncompressed",
                "min.insync.replicas", Integer.toString(config.stateLogMinIsr()),
                "segment.bytes", Integer.toString(config.stateLogSegmentBytes()),
                "unclean.leader.election.enable", "false");
        this.topic = new CoordinatorTopic(new CreateTopicSpec(InternalTopics.TRANSACTION_STATE,
                config.stateLogPartitions(), config.stateLogReplicationFactor(), Map.of(), topicConfigs),
                replicas, controller);
        this.runtime = runtime;
    }

    public TransactionConfig config() {
        return config;
    }

    /** Told of each shard once it is loaded, on the loading thread. */
    void onShardLoaded(Consumer<TransactionShard> listener) {
        loadListeners.add(listener);
    }

    /** Runs {@code task} every {@code intervalMs} on the coordinator's own thread. */
    void schedulePeriodic(Runnable task, long intervalMs) {
        background.scheduleWithFixedDelay(() -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                log.warn("A periodic transaction check failed", e);
            }
        }, intervalMs, intervalMs, TimeUnit.MILLISECONDS);
    }

    /** Runs {@code task} once after {@code delayMs} on the coordinator's own thread. */
    void schedule(Runnable task, long delayMs) {
        if (!background.isShutdown()) {
            background.schedule(task, delayMs, TimeUnit.MILLISECONDS);
        }
    }

    /** Kafka's rule: the same transactional id always maps to the same partition. */
    public int partitionFor(String transactionalId) {
        return topic.partitionFor(transactionalId);
    }

    /** The loaded shard holding the id, or the exception Kafka answers when this broker cannot serve it now. */
    TransactionShard shardFor(String transactionalId) {
        if (topic.image() == null) {
            throw new CoordinatorNotAvailableException("The transaction state topic does not exist yet");
        }
        int partition = partitionFor(transactionalId);
        TransactionShard shard = shards.get(partition);
        if (shard == null) {
            throw new NotCoordinatorException("This broker is not the coordinator of transactional id " + transactionalId);
        }
        if (!shard.isLoaded()) {
            throw new CoordinatorLoadInProgressException("Partition " + partition + " of the transaction state topic is loading");
        }
        return shard;
    }

    /** Every shard led here: ListTransactions answers COORDINATOR_LOAD_IN_PROGRESS while one of them loads. */
    List<TransactionShard> shards() {
        return new ArrayList<>(shards.values());
    }

    /**
     * The broker leading the id's partition, creating the transaction state topic first if needed (as Kafka does on
     * the first FindCoordinator for a transaction); fails with COORDINATOR_NOT_AVAILABLE while there is none.
     */
    public CompletableFuture<Integer> coordinatorOf(String transactionalId) {
        return topic.coordinatorOf(transactionalId);
    }

    /** DescribeTransactions of one id: its committed state, or the error of this broker for it. */
    public DescribeTransactionsResponseData.TransactionState describe(String transactionalId) {
        DescribeTransactionsResponseData.TransactionState result =
                new DescribeTransactionsResponseData.TransactionState().setTransactionalId(transactionalId);
        TransactionShard shard;
        try {
            shard = shardFor(transactionalId);
        } catch (ApiException e) {
            return result.setErrorCode(Errors.forException(e).code());
        }
        synchronized (shard) {
            TransactionMetadata txn = shard.get(transactionalId);
            if (txn == null) {
                return result.setErrorCode(Errors.TRANSACTIONAL_ID_NOT_FOUND.code());
            }
            Map<String, List<Integer>> byTopic = new TreeMap<>();
            txn.partitions().forEach(tp -> byTopic.computeIfAbsent(tp.topic(), t -> new ArrayList<>()).add(tp.partition()));
            DescribeTransactionsResponseData.TopicDataCollection topics = new DescribeTransactionsResponseData.TopicDataCollection();
            byTopic.forEach((topic, partitions) -> topics.add(new DescribeTransactionsResponseData.TopicData()
                    .setTopic(topic).setPartitions(partitions.stream().sorted().toList())));
            return result.setTransactionState(txn.state().displayName()).setTransactionTimeoutMs(txn.timeoutMs())
                    .setTransactionStartTimeMs(txn.startTimestamp()).setProducerId(txn.producerId())
                    .setProducerEpoch(txn.producerEpoch()).setTopics(topics);
        }
    }

    /**
     * ListTransactions over the shards led here, with Kafka's filters: states (names Kafka does not know are
     * reported back), producer ids, a minimum running time ({@code durationFilterMs} &lt; 0: none) and a transactional
     * id pattern (null: none). COORDINATOR_LOAD_IN_PROGRESS while a shard loads.
     */
    public ListTransactionsResponseData list(List<String> stateFilters, List<Long> producerIdFilters,
                                             long durationFilterMs, Pattern idPattern, long now) {
        ListTransactionsResponseData response = new ListTransactionsResponseData();
        Set<TransactionState> states = EnumSet.noneOf(TransactionState.class);
        for (String name : stateFilters) {
            TransactionState state = TransactionState.fromDisplayName(name);
            if (state == null) {
                response.unknownStateFilters().add(name);
            } else {
                states.add(state);
            }
        }
        if (!stateFilters.isEmpty() && states.isEmpty()) {
            return response;
        }
        Set<Long> producerIds = Set.copyOf(producerIdFilters);
        for (TransactionShard shard : shards()) {
            if (!shard.isLoaded()) {
                return new ListTransactionsResponseData().setErrorCode(Errors.COORDINATOR_LOAD_IN_PROGRESS.code());
            }
            synchronized (shard) {
                for (TransactionMetadata txn : shard.transactions()) {
                    if (txn.state() != TransactionState.DEAD
                            && (states.isEmpty() || states.contains(txn.state()))
                            && (producerIds.isEmpty() || producerIds.contains(txn.producerId()))
                            && (durationFilterMs < 0 || now - txn.startTimestamp() > durationFilterMs)
                            && (idPattern == null || idPattern.matcher(txn.transactionalId()).matches())) {
                        response.transactionStates().add(new ListTransactionsResponseData.TransactionState()
                                .setTransactionalId(txn.transactionalId()).setProducerId(txn.producerId())
                                .setTransactionState(txn.state().displayName()));
                    }
                }
            }
        }
        return response;
    }

    /** Tells {@code nanos} how long each transaction state partition led here took to load (replay). */
    public void timeLoads(LongConsumer nanos) {
        loadTimes = nanos;
    }

    @Override
    public void onBecomeLeader(Partition partition) {
        TopicPartition tp = partition.topicPartition();
        if (!tp.topic().equals(InternalTopics.TRANSACTION_STATE)) {
            return;
        }
        TransactionShard shard = new TransactionShard(partition, runtime.writer(partition));
        TransactionShard previous = shards.put(tp.partition(), shard);
        if (previous != null) {
            previous.unload();
        }
        background.execute(() -> {
            try {
                long start = System.nanoTime();
                shard.load();
                loadTimes.accept(System.nanoTime() - start);
                loadListeners.forEach(listener -> listener.accept(shard));
            } catch (RuntimeException e) {
                log.error("Cannot load the transactions of {}", tp, e);
            }
        });
    }

    @Override
    public void onResign(TopicPartition tp) {
        if (tp.topic().equals(InternalTopics.TRANSACTION_STATE)) {
            TransactionShard shard = shards.remove(tp.partition());
            if (shard != null) {
                shard.unload();
            }
        }
    }

    @Override
    public void close() {
        background.shutdownNow();
        shards.values().forEach(TransactionShard::unload);
        shards.clear();
    }
}
