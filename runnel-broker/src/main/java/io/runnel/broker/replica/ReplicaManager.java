package io.runnel.broker.replica;

import io.runnel.broker.config.TopicConfigResolver;
import io.runnel.metadata.MetadataImage;
import io.runnel.metadata.MetadataListener;
import io.runnel.metadata.PartitionRegistration;
import io.runnel.metadata.TopicImage;
import io.runnel.storage.LogManager;
import io.runnel.storage.PartitionLog;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.NotLeaderOrFollowerException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The partitions this broker leads, kept in step with the metadata log: it creates the log of a
 * partition assigned to this broker, applies topic and dynamic broker config changes live, and deletes the logs of
 * deleted topics (and, at start-up, logs the metadata no longer knows).
 */
public final class ReplicaManager implements MetadataListener {
    private static final Logger log = LoggerFactory.getLogger(ReplicaManager.class);

    private final int brokerId;
    private final LogManager logManager;
    private final TopicConfigResolver configs;
    private final Map<TopicPartition, Partition> partitions = new ConcurrentHashMap<>();
    private final List<LeadershipListener> leadershipListeners = new CopyOnWriteArrayList<>();
    private volatile MetadataImage image;
    private boolean reconciled;

    public ReplicaManager(int brokerId, LogManager logManager, TopicConfigResolver configs) {
        this.brokerId = brokerId;
        this.logManager = logManager;
        this.configs = configs;
    }

    /** Register before the first metadata update so that the listener sees every partition led here. */
    public void addLeadershipListener(LeadershipListener listener) {
        leadershipListeners.add(listener);
    }

    /** The last image whose effects on this broker (logs created, deleted, reconfigured) are complete. */
    public MetadataImage image() {
        return image;
    }

    /** The partition if this broker leads it; otherwise the error Kafka gives a client that asks the wrong broker. */
    public Partition leaderPartition(TopicPartition tp) {
        Partition partition = partitions.get(tp);
        if (partition != null) {
            return partition;
        }
        MetadataImage current = image;
        TopicImage topic = current == null ? null : current.topicsByName().get(tp.topic());
        if (topic != null && topic.partitions().containsKey(tp.partition())) {
            throw new NotLeaderOrFollowerException("Broker " + brokerId + " is not the leader of " + tp);
        }
        throw new UnknownTopicOrPartitionException("This server does not host " + tp);
    }

    @Override
    public void onMetadataUpdate(MetadataImage previous, MetadataImage current) {
        // A dynamic broker config (this broker's or the cluster default) may change every partition's effective config.
        boolean brokerConfigsChanged = configs.updateDynamicConfigs(
                current.brokerConfigs(Integer.toString(brokerId)), current.brokerConfigs(""));
        for (TopicImage removed : previous.topicsById().values()) {
            if (!current.topicsById().containsKey(removed.id())) {
                deleteTopic(removed);
            }
        }
        for (TopicImage topic : current.topicsById().values()) {
            TopicImage before = previous.topicsById().get(topic.id());
            boolean configChanged = brokerConfigsChanged
                    || !previous.topicConfigs(topic.name()).equals(current.topicConfigs(topic.name()));
            if (before != topic || configChanged || !reconciled) {
                applyTopic(topic, current.topicConfigs(topic.name()), configChanged);
            }
        }
        if (!reconciled) {
            deleteStrayLogs(current);
            reconciled = true;
        }
        image = current;
    }

    private void applyTopic(TopicImage topic, Map<String, String> overrides, boolean configChanged) {
        for (Map.Entry<Integer, PartitionRegistration> entry : topic.partitions().entrySet()) {
            TopicPartition tp = new TopicPartition(topic.name(), entry.getKey());
            PartitionRegistration registration = entry.getValue();
            Partition partition = partitions.get(tp);
            if (registration.leader() != brokerId) {
                if (partition != null) {
                    partitions.remove(tp);
                    partition.wakeAllWaiters();
                    leadershipListeners.forEach(l -> l.onResign(tp));
                }
                continue;
            }
            if (partition == null) {
                PartitionLog partitionLog = logManager.getOrCreateLog(tp, topic.id(), configs.logConfig(overrides));
                partition = new Partition(partitionLog, brokerId, registration.leaderEpoch(), registration.isr(),
                        configs.minInsyncReplicas(overrides));
                partitions.put(tp, partition);
                partition.onBecomeLeader();
                Partition leader = partition;
                leadershipListeners.forEach(l -> l.onBecomeLeader(leader));
            } else {
                partition.updateLeadership(registration.leaderEpoch(), registration.isr());
                if (configChanged) {
                    partition.log().updateConfig(configs.logConfig(overrides));
                    partition.updateMinInsyncReplicas(configs.minInsyncReplicas(overrides));
                }
            }
        }
    }

    private void deleteTopic(TopicImage topic) {
        for (Integer index : topic.partitions().keySet()) {
            TopicPartition tp = new TopicPartition(topic.name(), index);
            Partition partition = partitions.remove(tp);
            if (partition != null) {
                partition.wakeAllWaiters();
                leadershipListeners.forEach(l -> l.onResign(tp));
            }
            logManager.getLog(tp)
                    .filter(l -> topic.id().equals(l.topicId()))
                    .ifPresent(l -> logManager.deleteLog(tp));
        }
    }

    /** Logs on disk whose topic was deleted while this broker was down. */
    private void deleteStrayLogs(MetadataImage current) {
        for (PartitionLog partitionLog : new ArrayList<>(logManager.allLogs())) {
            TopicImage topic = current.topicsById().get(partitionLog.topicId());
            TopicPartition tp = partitionLog.topicPartition();
            if (topic == null || !topic.name().equals(tp.topic()) || !topic.partitions().containsKey(tp.partition())) {
                log.info("Deleting {}: its topic is no longer in the metadata", tp);
                logManager.deleteLog(tp);
            }
        }
    }
}
