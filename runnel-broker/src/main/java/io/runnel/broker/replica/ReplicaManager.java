package io.runnel.broker.replica;

import io.netty.util.concurrent.DefaultThreadFactory;
import io.runnel.broker.config.TopicConfigResolver;
import io.runnel.broker.interbroker.InterBrokerClient;
import io.runnel.broker.metrics.BrokerMetrics;
import io.runnel.broker.metrics.BrokerTopicMetrics;
import io.runnel.broker.metrics.ReplicaManagerMetrics;
import io.runnel.metadata.BrokerRegistration;
import io.runnel.metadata.Controller;
import io.runnel.metadata.MetadataImage;
import io.runnel.metadata.MetadataListener;
import io.runnel.metadata.PartitionRegistration;
import io.runnel.metadata.TopicImage;
import io.runnel.storage.LogManager;
import io.runnel.storage.PartitionLog;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.errors.NotLeaderOrFollowerException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.protocol.Errors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;

/**
 * The partition replicas this broker hosts, kept in step with the metadata log: it creates the log of a partition
 * assigned here, makes the replica leader or follower as the partition's registration says (starting and stopping
 * follower fetchers), applies topic and dynamic broker config changes live, deletes the logs of deleted topics and
 * of partitions reassigned away from it (and, at start-up, the logs the metadata no longer knows), and checks the
 * ISRs it leads for lagging followers.
 *
 * <p>Metadata listeners are called on the metadata apply thread; the work (file creation, truncation, fetcher
 * changes) runs on this manager's own thread, always from the last image fully applied to the newest one, so a
 * failed step is retried, not dropped. The first image (given when the listener registers, on the starting
 * server's thread) is applied at once, so that the broker serves only once its logs are loaded.
 */
public final class ReplicaManager implements MetadataListener, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ReplicaManager.class);
    private static final long RETRY_BACKOFF_MS = 1_000;

    private final int brokerId;
    private final LogManager logManager;
    private final TopicConfigResolver configs;
    private final ReplicationConfig replication;
    private final ScheduledExecutorService executor =
            Executors.newSingleThreadScheduledExecutor(new DefaultThreadFactory("runnel-replica-manager", true));
    private final ProducePurgatory producePurgatory = new ProducePurgatory();
    private final ReplicaRoles roles;
    private final ReplicationThrottles throttles;
    private final ReplicaContext context;
    private final BrokerTopicMetrics topicMetrics;
    private final Map<TopicPartition, Partition> partitions = new ConcurrentHashMap<>();
    private final AtomicBoolean applyScheduled = new AtomicBoolean();
    private final List<AppliedWaiter> appliedWaiters = new ArrayList<>();
    private boolean registered;
    private volatile MetadataImage latest;
    /** The last image whose effects here are complete; written by the replica manager's thread only. */
    private volatile MetadataImage applied;
    private boolean reconciled;
    /**
     * Partitions this broker should host but could not (their log could not be created or loaded), with the
     * reason last logged; their topics are applied again until they succeed. Changed on the replica manager's thread
     * only; concurrent because the OfflineReplicaCount gauge reads its size.
     */
    private final Map<TopicPartition, String> unhosted = new ConcurrentHashMap<>();
    private final OfflineReplicas offline;
    private final LogDirMover mover;

    /** With metrics of its own, exported nowhere: for tests of what builds on the replica manager. */
    public ReplicaManager(int brokerId, LogManager logManager, TopicConfigResolver configs, Controller controller,
                          ReplicationConfig replication, InterBrokerClient client, LongSupplier brokerEpoch) {
        this(brokerId, logManager, configs, controller, replication, client, brokerEpoch, new BrokerMetrics());
    }

    public ReplicaManager(int brokerId, LogManager logManager, TopicConfigResolver configs, Controller controller,
                          ReplicationConfig replication, InterBrokerClient client, LongSupplier brokerEpoch,
                          BrokerMetrics metrics) {
        this.brokerId = brokerId;
        this.logManager = logManager;
        this.configs = configs;
        this.replication = replication;
        this.throttles = new ReplicationThrottles(brokerId, metrics);
        this.roles = new ReplicaRoles(new ReplicaFetcherManager(brokerId, brokerEpoch, client, logManager, replication,
                throttles, metrics));
        this.topicMetrics = metrics.topics();
        ReplicaManagerMetrics replicaMetrics = new ReplicaManagerMetrics(metrics,
                Collections.unmodifiableCollection(partitions.values()), unhosted::size);
        this.context = new ReplicaContext(System::currentTimeMillis, replication.lagTimeMaxMs(), brokerEpoch,
                this::isrEligible, new AlterPartitionSender(brokerId, controller, brokerEpoch),
                producePurgatory.executor(), replicaMetrics, topicMetrics);
        this.offline = new OfflineReplicas(brokerId, controller, brokerEpoch, executor);
        logManager.onLogDirFailure(this::onLogDirFailure);
        this.mover = new LogDirMover(logManager, partitions::get, throttles);
        long shrinkCheckMs = Math.max(1, replication.lagTimeMaxMs() / 2);
        executor.scheduleWithFixedDelay(this::shrinkIsrs, shrinkCheckMs, shrinkCheckMs, TimeUnit.MILLISECONDS);
    }

    /** Register before the first metadata update so that the listener sees every partition led here. */
    public void addLeadershipListener(LeadershipListener listener) {
        roles.addLeadershipListener(listener);
    }

    /**
     * The newest image this broker has heard of: what it answers about the cluster. Its effects here (logs
     * created, roles taken) follow on the replica manager's thread; until then this broker answers
     * NOT_LEADER_OR_FOLLOWER for a partition the image says it leads, and clients retry.
     */
    public MetadataImage image() {
        return latest;
    }

    /**
     * The last image whose effects here are complete (logs created, roles taken): what Metadata answers, so that a
     * client is sent to this broker for a partition only once it serves it.
     */
    public MetadataImage appliedImage() {
        return applied;
    }

    /**
     * Completes once this broker has applied the newest image it has heard of now (its roles taken), or after
     * {@code timeoutMs}: a topic created here is served as soon as its creation is answered.
     */
    public CompletableFuture<Void> awaitApplied(long timeoutMs) {
        long offset = latest.lastAppliedOffset();
        CompletableFuture<Void> done = new CompletableFuture<>();
        synchronized (appliedWaiters) {
            MetadataImage current = applied;
            if (current != null && current.lastAppliedOffset() >= offset) {
                return CompletableFuture.completedFuture(null);
            }
            appliedWaiters.add(new AppliedWaiter(offset, done));
        }
        return done.completeOnTimeout(null, timeoutMs, TimeUnit.MILLISECONDS);
    }

    private record AppliedWaiter(long offset, CompletableFuture<Void> done) {
    }

    private void completeAppliedWaiters(long offset) {
        List<AppliedWaiter> ready = new ArrayList<>();
        synchronized (appliedWaiters) {
            appliedWaiters.removeIf(w -> w.offset <= offset && ready.add(w));
        }
        ready.forEach(w -> w.done.complete(null));
    }

    /** The replication throttles this broker applies, as the newest image sets them. */
    public ReplicationThrottles throttles() {
        return throttles;
    }

    public ProducePurgatory producePurgatory() {
        return producePurgatory;
    }

    /** The partition if this broker leads it; otherwise the error Kafka gives a client that asks the wrong broker. */
    public Partition leaderPartition(TopicPartition tp) {
        offline.requireOnline(tp);
        Partition partition = partitions.get(tp);
        if (partition != null && partition.isLeader()) {
            return partition;
        }
        throw notHosted(tp);
    }

    /**
     * The partition if this broker holds a replica of it, leader or follower (what DescribeProducers with a broker id
     * asks); otherwise the error Kafka gives.
     */
    public Partition replicaPartition(TopicPartition tp) {
        offline.requireOnline(tp);
        Partition partition = partitions.get(tp);
        if (partition != null) {
            return partition;
        }
        throw notHosted(tp);
    }

    private ApiException notHosted(TopicPartition tp) {
        MetadataImage current = latest;
        TopicImage topic = current == null ? null : current.topicsByName().get(tp.topic());
        if (topic != null && topic.partitions().containsKey(tp.partition())) {
            return new NotLeaderOrFollowerException("Broker " + brokerId + " is not the leader of " + tp);
        }
        return new UnknownTopicOrPartitionException("This server does not host " + tp);
    }

    /**
     * AlterReplicaLogDirs: moves each replica to the log dir named, with Kafka's per-partition errors (see
     * {@link LogManager#moveLog}); REPLICA_NOT_AVAILABLE for one not hosted here, whose dir is remembered for when it
     * arrives. On the replica manager's thread, which also creates logs, so a move never races a replica's creation.
     */
    public CompletableFuture<Map<TopicPartition, Errors>> alterReplicaLogDirs(Map<TopicPartition, String> dirs) {
        return CompletableFuture.supplyAsync(() -> {
            Map<TopicPartition, Errors> errors = new LinkedHashMap<>();
            dirs.forEach((tp, dir) -> errors.put(tp, moveReplica(tp, dir)));
            mover.wake();
            return errors;
        }, executor);
    }

    private Errors moveReplica(TopicPartition tp, String dir) {
        try {
            offline.requireOnline(tp);
            logManager.moveLog(tp, dir);
            return Errors.NONE;
        } catch (ApiException e) {
            LOG.warn("Cannot move {} to log dir {}: {}", tp, dir, e.getMessage());
            return Errors.forException(e);
        } catch (RuntimeException e) {
            LOG.error("Cannot move {} to log dir {}", tp, dir, e);
            return Errors.forException(e);
        }
    }

    /** Holds this broker's follower fetchers (true) or lets them go on (false): a test hook for acks=all. */
    public void pauseFollowerFetching(boolean paused) {
        roles.pauseFetching(paused);
    }

    @Override
    public void onMetadataUpdate(MetadataImage previous, MetadataImage current) {
        // In memory only, and the dynamic cleaner config listener after this one relies on it.
        configs.updateDynamicConfigs(current.brokerConfigs(Integer.toString(brokerId)), current.brokerConfigs(""));
        throttles.update(current);
        latest = current;
        if (!registered) {
            registered = true;
            applyPending();
        } else {
            scheduleApply(0);
        }
    }

    private void scheduleApply(long delayMs) {
        // Metadata keeps arriving while the node shuts down: a closed manager has nothing left to apply it to.
        if (applyScheduled.compareAndSet(false, true)) {
            try {
                executor.schedule(this::applyPending, delayMs, TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException closed) {
                applyScheduled.set(false);
            }
        }
    }

    private void applyPending() {
        applyScheduled.set(false);
        MetadataImage target = latest;
        MetadataImage from = applied == null ? MetadataImage.empty(target.clusterId()) : applied;
        if (target == from && unhosted.isEmpty()) {
            return;
        }
        try {
            apply(from, target);
            synchronized (appliedWaiters) {
                applied = target;
            }
            completeAppliedWaiters(target.lastAppliedOffset());
        } catch (RuntimeException e) {
            LOG.error("Applying the metadata at offset {} failed; retrying in {} ms", target.lastAppliedOffset(),
                    RETRY_BACKOFF_MS, e);
            scheduleApply(RETRY_BACKOFF_MS);
            return;
        }
        if (latest != target) {
            scheduleApply(0);
        } else if (!unhosted.isEmpty()) {
            scheduleApply(RETRY_BACKOFF_MS);
        }
    }

    private void apply(MetadataImage previous, MetadataImage current) {
        String id = Integer.toString(brokerId);
        boolean brokerConfigsChanged = !previous.brokerConfigs(id).equals(current.brokerConfigs(id))
                || !previous.brokerConfigs("").equals(current.brokerConfigs(""));
        for (TopicImage removed : previous.topicsById().values()) {
            if (!current.topicsById().containsKey(removed.id())) {
                deleteTopic(removed);
            }
        }
        Set<String> retried = new HashSet<>();
        unhosted.keySet().forEach(tp -> retried.add(tp.topic()));
        unhosted.keySet().removeIf(tp -> !current.topicsByName().containsKey(tp.topic()));
        for (TopicImage topic : current.topicsById().values()) {
            TopicImage before = previous.topicsById().get(topic.id());
            boolean configChanged = brokerConfigsChanged
                    || !previous.topicConfigs(topic.name()).equals(current.topicConfigs(topic.name()));
            if (before != topic || configChanged || !reconciled || retried.contains(topic.name())) {
                applyTopic(topic, before, current.topicConfigs(topic.name()), configChanged);
            }
        }
        if (!reconciled) {
            deleteStrayLogs(current);
            reconciled = true;
        }
    }

    private void applyTopic(TopicImage topic, TopicImage before, Map<String, String> overrides, boolean configChanged) {
        for (Map.Entry<Integer, PartitionRegistration> entry : topic.partitions().entrySet()) {
            TopicPartition tp = new TopicPartition(topic.name(), entry.getKey());
            PartitionRegistration registration = entry.getValue();
            Partition partition = partitions.get(tp);
            boolean unchanged = before != null && registration.equals(before.partitions().get(entry.getKey()));
            if (partition != null && unchanged && !configChanged) {
                continue;
            }
            if (!Partition.contains(registration.replicas(), brokerId)) {
                unhosted.remove(tp);
                offline.forget(tp);
                if (partition != null) {
                    stopReplica(tp, partition);
                }
                deleteReassignedAway(tp, topic);
                continue;
            }
            if (offline.isLost(tp)) {
                continue;
            }
            if (partition == null) {
                PartitionLog partitionLog = hostedLog(tp, topic, overrides);
                if (partitionLog == null) {
                    continue;
                }
                partition = new Partition(partitionLog, brokerId, configs.minInsyncReplicas(overrides), context);
                partitions.put(tp, partition);
            } else if (configChanged) {
                partition.log().updateConfig(configs.logConfig(overrides));
                partition.updateMinInsyncReplicas(configs.minInsyncReplicas(overrides));
            }
            if (registration.leader() == brokerId) {
                roles.becomeLeader(partition, registration);
            } else {
                roles.becomeFollower(partition, topic.id(), registration);
            }
        }
    }

    /**
     * The partition's log, created or loaded; null when that fails (a storage error), which leaves the partition
     * unhosted here, retried, while the other partitions and later metadata are applied: clients asking this broker
     * for it get NOT_LEADER_OR_FOLLOWER meanwhile.
     */
    private PartitionLog hostedLog(TopicPartition tp, TopicImage topic, Map<String, String> overrides) {
        try {
            PartitionLog log = logManager.getOrCreateLog(tp, topic.id(), configs.logConfig(overrides));
            if (unhosted.remove(tp) != null) {
                LOG.info("Hosting {} after all", tp);
            }
            return log;
        } catch (RuntimeException e) {
            String reason = String.valueOf(e.getMessage());
            if (!reason.equals(unhosted.put(tp, reason))) {
                LOG.error("Cannot host {}: retrying every {} ms", tp, RETRY_BACKOFF_MS, e);
            }
            return null;
        }
    }

    /** This broker no longer hosts a replica of the partition (deleted, reassigned away, or its log dir failed). */
    private void stopReplica(TopicPartition tp, Partition partition) {
        partitions.remove(tp);
        roles.stop(partition);
    }

    /** Deletes this broker's log of a partition whose replicas no longer include it, as Kafka's StopReplica does. */
    private void deleteReassignedAway(TopicPartition tp, TopicImage topic) {
        logManager.getLog(tp).filter(l -> topic.id().equals(l.topicId())).ifPresent(l -> {
            LOG.info("Deleting {}: this broker is no longer one of its replicas", tp);
            logManager.deleteLog(tp);
        });
    }

    private void deleteTopic(TopicImage topic) {
        for (Integer index : topic.partitions().keySet()) {
            TopicPartition tp = new TopicPartition(topic.name(), index);
            offline.forget(tp);
            Partition partition = partitions.get(tp);
            if (partition != null) {
                stopReplica(tp, partition);
            }
            logManager.getLog(tp)
                    .filter(l -> topic.id().equals(l.topicId()))
                    .ifPresent(l -> logManager.deleteLog(tp));
        }
        // After the replicas stopped: requests no longer find its partitions, so none makes its meters again.
        topicMetrics.removeTopic(topic.name());
    }

    /**
     * The log manager closed the logs of a failed dir (on its own thread): this broker stops being their replica here
     * (no fetching, no leadership) and has the controller move them to the other ISR members.
     */
    private void onLogDirFailure(Path logDir, List<TopicPartition> lost) {
        try {
            executor.execute(() -> {
                offline.add(logDir, lost, latest);
                for (TopicPartition tp : lost) {
                    Partition partition = partitions.get(tp);
                    if (partition != null) {
                        stopReplica(tp, partition);
                    }
                }
            });
        } catch (RejectedExecutionException closed) {
            LOG.warn("Not taking the replicas of {} offline: the replica manager is closed", logDir);
        }
    }

    /** Logs on disk whose topic was deleted while this broker was down. */
    private void deleteStrayLogs(MetadataImage current) {
        for (PartitionLog partitionLog : new ArrayList<>(logManager.allLogs())) {
            TopicImage topic = current.topicsById().get(partitionLog.topicId());
            TopicPartition tp = partitionLog.topicPartition();
            if (topic == null || !topic.name().equals(tp.topic()) || !topic.partitions().containsKey(tp.partition())) {
                LOG.info("Deleting {}: its topic is no longer in the metadata", tp);
                logManager.deleteLog(tp);
            }
        }
    }

    private boolean isrEligible(int brokerId) {
        MetadataImage image = latest;
        BrokerRegistration broker = image == null ? null : image.brokers().get(brokerId);
        return broker != null && !broker.fenced();
    }

    private void shrinkIsrs() {
        for (Partition partition : partitions.values()) {
            try {
                partition.maybeShrinkIsr();
            } catch (RuntimeException e) {
                LOG.warn("ISR check of {} failed", partition.topicPartition(), e);
            }
        }
    }

    @Override
    public void close() {
        mover.close();
        executor.shutdownNow();
        roles.close();
        producePurgatory.close();
    }
}
