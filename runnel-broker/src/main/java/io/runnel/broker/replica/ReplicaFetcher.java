package io.runnel.broker.replica;

import io.runnel.broker.interbroker.InterBrokerClient;
import io.runnel.broker.protocol.FetchedRecords;
import io.runnel.storage.LogManager;
import io.runnel.storage.PartitionLog;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * One follower fetcher: a thread that fetches a set of partitions from one leader broker, as Kafka's replica
 * fetcher does. Each request carries this broker's id and epoch (ReplicaState), and per partition the log end
 * offset and the epoch of the last fetched batch; the leader answers with records, or with the epoch at which the
 * logs diverge (truncate there and go on), or OFFSET_OUT_OF_RANGE (the log starts afresh at the leader's start).
 * The leader holds the request until data arrives (replica.fetch.wait.max.ms); errors back off. A partition whose
 * follower throttle is used up is left out of requests until the rate allows it again.
 */
final class ReplicaFetcher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ReplicaFetcher.class);
    private static final short FETCH_VERSION = ApiKeys.FETCH.latestVersion(false);
    /** The request header's idea of "no session": a full, sessionless fetch each time. */
    private static final int SESSIONLESS_EPOCH = -1;

    /** A partition being fetched, under the leader epoch the metadata gave. */
    private static final class FetchState {
        final Partition partition;
        final Uuid topicId;
        final int leaderEpoch;
        long delayedUntilMs;
        /** The leader's high watermark less this log's end after the last response; read by metrics. */
        volatile long lag;

        FetchState(Partition partition, Uuid topicId, int leaderEpoch) {
            this.partition = partition;
            this.topicId = topicId;
            this.leaderEpoch = leaderEpoch;
        }
    }

    private record Key(Uuid topicId, int partition) {
    }

    private final int sourceBroker;
    private final int localBrokerId;
    private final LongSupplier brokerEpoch;
    private final InterBrokerClient client;
    private final LogManager logs;
    private final ReplicationConfig config;
    private final ReplicationThrottles throttles;
    private final BooleanSupplier paused;
    private final Map<TopicPartition, FetchState> partitions = new ConcurrentHashMap<>();
    /** Held while a response is applied, so that a partition removed from this fetcher is no longer written. */
    private final Object processing = new Object();
    private final Object signal = new Object();
    private final Thread thread;
    private volatile boolean running = true;

    ReplicaFetcher(String name, int sourceBroker, int localBrokerId, LongSupplier brokerEpoch, InterBrokerClient client,
                   LogManager logs, ReplicationConfig config, ReplicationThrottles throttles, BooleanSupplier paused) {
        this.throttles = throttles;
        this.logs = logs;
        this.sourceBroker = sourceBroker;
        this.localBrokerId = localBrokerId;
        this.brokerEpoch = brokerEpoch;
        this.client = client;
        this.config = config;
        this.paused = paused;
        this.thread = new Thread(this::run, name);
        thread.setDaemon(true);
        thread.start();
    }

    void addPartition(Partition partition, Uuid topicId, int leaderEpoch) {
        partitions.put(partition.topicPartition(), new FetchState(partition, topicId, leaderEpoch));
        wakeUp();
    }

    /** Once this returns, this fetcher no longer writes to the partition's log. */
    void removePartition(TopicPartition tp) {
        synchronized (processing) {
            partitions.remove(tp);
        }
    }

    /** The partition's lag in messages after the last fetch response (0 before the first). */
    long lag(TopicPartition tp) {
        FetchState state = partitions.get(tp);
        return state == null ? 0 : state.lag;
    }

    /** The largest lag of this fetcher's partitions. */
    long maxLag() {
        long max = 0;
        for (FetchState state : partitions.values()) {
            max = Math.max(max, state.lag);
        }
        return max;
    }

    boolean isEmpty() {
        return partitions.isEmpty();
    }

    void wakeUp() {
        synchronized (signal) {
            signal.notifyAll();
        }
    }

    private void run() {
        while (running) {
            try {
                List<FetchState> ready = readyPartitions();
                if (ready.isEmpty() || paused.getAsBoolean()) {
                    waitFor(config.fetchBackoffMs());
                    continue;
                }
                fetchOnce(ready);
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                LOG.warn("Replica fetcher from broker {} failed", sourceBroker, e);
                backOff();
            }
        }
    }

    private List<FetchState> readyPartitions() {
        long now = System.currentTimeMillis();
        List<FetchState> ready = new ArrayList<>();
        for (FetchState state : partitions.values()) {
            if (state.delayedUntilMs <= now && !throttles.holdsBackFetch(state.partition)) {
                ready.add(state);
            }
        }
        return ready;
    }

    private void fetchOnce(List<FetchState> ready) throws InterruptedException {
        Map<Key, FetchState> sent = new HashMap<>();
        FetchRequestData request = buildRequest(ready, sent);
        FetchResponseData response;
        try {
            response = (FetchResponseData) client.send(sourceBroker, thread.getName(), request, FETCH_VERSION,
                    config.fetchWaitMaxMs() + (long) config.socketTimeoutMs()).get();
        } catch (ExecutionException e) {
            LOG.info("Fetch from broker {} failed: {}", sourceBroker, e.getCause().toString());
            backOff();
            return;
        }
        if (paused.getAsBoolean()) {
            return; // held back: what arrived after the pause is not applied (it is fetched again on resume)
        }
        if (response.errorCode() != Errors.NONE.code()) {
            LOG.info("Fetch from broker {} failed: {}", sourceBroker, Errors.forCode(response.errorCode()));
            backOff();
            return;
        }
        synchronized (processing) {
            for (FetchResponseData.FetchableTopicResponse topic : response.responses()) {
                for (FetchResponseData.PartitionData data : topic.partitions()) {
                    FetchState state = sent.get(new Key(topic.topicId(), data.partitionIndex()));
                    if (state != null && partitions.get(state.partition.topicPartition()) == state) {
                        apply(state, data);
                    }
                }
            }
        }
    }

    private FetchRequestData buildRequest(List<FetchState> ready, Map<Key, FetchState> sent) {
        Map<Uuid, FetchRequestData.FetchTopic> topics = new HashMap<>();
        for (FetchState state : ready) {
            PartitionLog log = state.partition.log();
            FetchRequestData.FetchTopic topic = topics.computeIfAbsent(state.topicId,
                    id -> new FetchRequestData.FetchTopic().setTopicId(id).setTopic(state.partition.topicPartition().topic()));
            int index = state.partition.topicPartition().partition();
            topic.partitions().add(new FetchRequestData.FetchPartition()
                    .setPartition(index)
                    .setCurrentLeaderEpoch(state.leaderEpoch)
                    .setFetchOffset(log.logEndOffset())
                    .setLastFetchedEpoch(log.latestEpoch())
                    .setLogStartOffset(log.logStartOffset())
                    .setPartitionMaxBytes(config.fetchMaxBytes()));
            sent.put(new Key(state.topicId, index), state);
        }
        return new FetchRequestData()
                .setReplicaState(new FetchRequestData.ReplicaState().setReplicaId(localBrokerId)
                        .setReplicaEpoch(brokerEpoch.getAsLong()))
                .setMaxWaitMs(config.fetchWaitMaxMs())
                .setMinBytes(config.fetchMinBytes())
                .setMaxBytes(config.fetchResponseMaxBytes())
                .setSessionId(0)
                .setSessionEpoch(SESSIONLESS_EPOCH)
                .setTopics(new ArrayList<>(topics.values()));
    }

    private void apply(FetchState state, FetchResponseData.PartitionData data) {
        Partition partition = state.partition;
        PartitionLog log = partition.log();
        Errors error = Errors.forCode(data.errorCode());
        if (error == Errors.NONE) {
            FetchResponseData.EpochEndOffset diverging = data.divergingEpoch();
            if (diverging.epoch() >= 0 || diverging.endOffset() >= 0) {
                truncateOnDivergence(partition, diverging);
                return;
            }
            ByteBuffer records = FetchedRecords.buffer(data);
            if (records.hasRemaining()) {
                throttles.recordFollowerBytes(partition, records.remaining());
                partition.appendAsFollower(records);
            }
            partition.updateFollowerHighWatermark(data.highWatermark());
            state.lag = Math.max(0, data.highWatermark() - log.logEndOffset());
        } else if (error == Errors.OFFSET_OUT_OF_RANGE) {
            if (log.logEndOffset() < data.logStartOffset()) {
                LOG.info("{}: the leader's log starts at {}, after this log's end {}; starting afresh there",
                        partition.topicPartition(), data.logStartOffset(), log.logEndOffset());
                logs.truncateFullyAndStartAt(partition.topicPartition(), data.logStartOffset());
            } else if (data.highWatermark() >= 0 && log.logEndOffset() > data.highWatermark()) {
                LOG.info("{}: this log's end {} is beyond the leader's; truncating to its high watermark {}",
                        partition.topicPartition(), log.logEndOffset(), data.highWatermark());
                logs.truncateTo(partition.topicPartition(), data.highWatermark());
            } else {
                delay(state);
            }
        } else {
            LOG.debug("{}: fetch from broker {} answered {}", partition.topicPartition(), sourceBroker, error);
            delay(state);
        }
    }

    private void truncateOnDivergence(Partition partition, FetchResponseData.EpochEndOffset diverging) {
        long target = LogDivergence.truncationOffset(partition.log(), diverging.epoch(), diverging.endOffset());
        LOG.info("{}: the leader's log diverges after epoch {} at offset {}; truncating from {} to {}",
                partition.topicPartition(), diverging.epoch(), diverging.endOffset(), partition.log().logEndOffset(),
                target);
        logs.truncateTo(partition.topicPartition(), target);
    }

    private void delay(FetchState state) {
        state.delayedUntilMs = System.currentTimeMillis() + config.fetchBackoffMs();
    }

    private void backOff() {
        try {
            waitFor(config.fetchBackoffMs());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void waitFor(long ms) throws InterruptedException {
        synchronized (signal) {
            if (running) {
                signal.wait(Math.max(1, ms));
            }
        }
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
