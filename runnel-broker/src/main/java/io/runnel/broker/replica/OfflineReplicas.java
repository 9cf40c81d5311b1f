package io.runnel.broker.replica;

import io.runnel.metadata.Controller;
import io.runnel.metadata.MetadataImage;
import io.runnel.metadata.TopicImage;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.KafkaStorageException;
import org.apache.kafka.common.message.AssignReplicasToDirsRequestData;
import org.apache.kafka.common.protocol.Errors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The replicas this broker lost with an offline log dir: clients and followers asking for them get
 * KAFKA_STORAGE_ERROR, the replica manager does not create them again in another dir, and the controller is told
 * (AssignReplicasToDirs to the lost directory, retried until it answers) so that it takes this broker out of their
 * ISRs and leaderships. They stay lost until the broker restarts or stops being their replica.
 */
final class OfflineReplicas {
    private static final Logger LOG = LoggerFactory.getLogger(OfflineReplicas.class);
    private static final long RETRY_BACKOFF_MS = 1_000;

    private final int brokerId;
    private final Controller controller;
    private final LongSupplier brokerEpoch;
    private final ScheduledExecutorService retries;
    private final Set<TopicPartition> lost = ConcurrentHashMap.newKeySet();

    OfflineReplicas(int brokerId, Controller controller, LongSupplier brokerEpoch, ScheduledExecutorService retries) {
        this.brokerId = brokerId;
        this.controller = controller;
        this.brokerEpoch = brokerEpoch;
        this.retries = retries;
    }

    /** Fails with KAFKA_STORAGE_ERROR if the replica of {@code tp} was lost with its log dir. */
    void requireOnline(TopicPartition tp) {
        if (lost.contains(tp)) {
            throw new KafkaStorageException("The log dir of " + tp + " on broker " + brokerId + " is offline");
        }
    }

    boolean isLost(TopicPartition tp) {
        return lost.contains(tp);
    }

    /** This broker is no longer a replica of {@code tp} (topic deleted, or reassigned away). */
    void forget(TopicPartition tp) {
        lost.remove(tp);
    }

    /** Marks the replicas lost and tells the controller of those whose topic the metadata still names. */
    void add(Path logDir, List<TopicPartition> replicas, MetadataImage image) {
        lost.addAll(replicas);
        Map<Uuid, AssignReplicasToDirsRequestData.TopicData> topics = new LinkedHashMap<>();
        for (TopicPartition tp : replicas) {
            TopicImage topic = image == null ? null : image.topicsByName().get(tp.topic());
            if (topic != null) {
                topics.computeIfAbsent(topic.id(), id -> new AssignReplicasToDirsRequestData.TopicData().setTopicId(id))
                        .partitions().add(new AssignReplicasToDirsRequestData.PartitionData()
                                .setPartitionIndex(tp.partition()));
            }
        }
        AssignReplicasToDirsRequestData.DirectoryData directory = new AssignReplicasToDirsRequestData.DirectoryData()
                .setId(Controller.LOST_DIRECTORY).setTopics(new ArrayList<>(topics.values()));
        LOG.error("Replicas {} of broker {} were lost with log dir {}: asking the controller to move them away",
                replicas, brokerId, logDir);
        report(directory);
    }

    private void report(AssignReplicasToDirsRequestData.DirectoryData directory) {
        AssignReplicasToDirsRequestData request = new AssignReplicasToDirsRequestData().setBrokerId(brokerId)
                .setBrokerEpoch(brokerEpoch.getAsLong()).setDirectories(new ArrayList<>(List.of(directory)));
        controller.assignReplicasToDirs(request).whenComplete((response, error) -> {
            if (error == null && response.errorCode() == Errors.NONE.code()) {
                return;
            }
            LOG.warn("The controller did not take the lost replicas of broker {} ({}); retrying in {} ms", brokerId,
                    error != null ? error.toString() : Errors.forCode(response.errorCode()), RETRY_BACKOFF_MS);
            try {
                retries.schedule(() -> report(directory), RETRY_BACKOFF_MS, TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException closing) {
                LOG.debug("Not retrying: the replica manager is closed");
            }
        });
    }
}
