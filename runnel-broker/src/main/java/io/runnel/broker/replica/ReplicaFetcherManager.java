package io.runnel.broker.replica;

import io.runnel.broker.interbroker.InterBrokerClient;
import io.runnel.broker.metrics.BrokerMetrics;
import io.runnel.broker.metrics.FetcherLagMetrics;
import io.runnel.storage.LogManager;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * The follower fetchers of this broker: {@code num.replica.fetchers} per source broker, a partition always on
 * the same one of them (Kafka's hash of topic and partition). Fetchers start with their first partition and
 * stop with their last. Used from the replica manager's executor only.
 */
final class ReplicaFetcherManager implements AutoCloseable {
    private record FetcherId(int sourceBroker, int index) {
    }

    private final int localBrokerId;
    private final LongSupplier brokerEpoch;
    private final InterBrokerClient client;
    private final LogManager logs;
    private final ReplicationConfig config;
    private final ReplicationThrottles throttles;
    /** Concurrent: the lag gauges read it from a scrape's thread. */
    private final Map<FetcherId, ReplicaFetcher> fetchers = new ConcurrentHashMap<>();
    private final Map<TopicPartition, FetcherId> assignments = new HashMap<>();
    private final FetcherLagMetrics lagMetrics;
    private volatile boolean paused;

    ReplicaFetcherManager(int localBrokerId, LongSupplier brokerEpoch, InterBrokerClient client, LogManager logs,
                          ReplicationConfig config, ReplicationThrottles throttles, BrokerMetrics metrics) {
        this.lagMetrics = new FetcherLagMetrics(metrics, this::maxLag);
        this.throttles = throttles;
        this.logs = logs;
        this.localBrokerId = localBrokerId;
        this.brokerEpoch = brokerEpoch;
        this.client = client;
        this.config = config;
    }

    /** Starts fetching {@code partition} from {@code leader} (after removing it from any fetcher it was on). */
    synchronized void addPartition(Partition partition, Uuid topicId, int leader, int leaderEpoch) {
        TopicPartition tp = partition.topicPartition();
        removePartition(tp);
        FetcherId id = new FetcherId(leader,
                Math.abs(31 * tp.topic().hashCode() + tp.partition()) % config.numReplicaFetchers());
        ReplicaFetcher fetcher = fetchers.computeIfAbsent(id, f -> new ReplicaFetcher(
                "runnel-replica-fetcher-" + f.index + "-source-" + f.sourceBroker, f.sourceBroker, localBrokerId,
                brokerEpoch, client, logs, config, throttles, () -> paused));
        fetcher.addPartition(partition, topicId, leaderEpoch);
        assignments.put(tp, id);
        lagMetrics.partitionAdded(clientId(id), tp, () -> fetcher.lag(tp));
    }

    private static String clientId(FetcherId id) {
        return FetcherLagMetrics.clientId(id.index, id.sourceBroker);
    }

    private long maxLag() {
        long max = 0;
        for (ReplicaFetcher fetcher : fetchers.values()) {
            max = Math.max(max, fetcher.maxLag());
        }
        return max;
    }

    /** Once this returns, no fetcher writes to the partition's log. */
    synchronized void removePartition(TopicPartition tp) {
        FetcherId id = assignments.remove(tp);
        ReplicaFetcher fetcher = id == null ? null : fetchers.get(id);
        if (fetcher != null) {
            lagMetrics.partitionRemoved(clientId(id), tp);
            fetcher.removePartition(tp);
            if (fetcher.isEmpty()) {
                fetchers.remove(id).close();
            }
        }
    }

    /** Holds every fetcher between requests (a test hook: shows what acks=all waits for). */
    void setPaused(boolean paused) {
        this.paused = paused;
        if (!paused) {
            synchronized (this) {
                fetchers.values().forEach(ReplicaFetcher::wakeUp);
            }
        }
    }

    @Override
    public synchronized void close() {
        fetchers.values().forEach(ReplicaFetcher::close);
        fetchers.clear();
        assignments.forEach((tp, id) -> lagMetrics.partitionRemoved(clientId(id), tp));
        assignments.clear();
    }
}
