package io.runnel.broker.coordinator;

import io.runnel.broker.replica.ReplicaManager;
import io.runnel.metadata.Controller;
import io.runnel.metadata.CreateTopicSpec;
import io.runnel.metadata.MetadataImage;
import io.runnel.metadata.PartitionRegistration;
import io.runnel.metadata.TopicImage;
import org.apache.kafka.common.errors.CoordinatorNotAvailableException;
import org.apache.kafka.common.utils.Utils;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The internal topic a coordinator keeps its state in ({@code __consumer_offsets}, {@code __transaction_state}): a key
 * (group id, transactional id) maps to a partition by Kafka's hash, and the leader of that partition coordinates it.
 * The topic is created on the first lookup, as Kafka does on the first FindCoordinator.
 */
public final class CoordinatorTopic {
    private final CreateTopicSpec spec;
    private final ReplicaManager replicas;
    private final Controller controller;

    /** @param spec the topic as it is created: name, configured partition count, replication factor, configs */
    public CoordinatorTopic(CreateTopicSpec spec, ReplicaManager replicas, Controller controller) {
        this.spec = spec;
        this.replicas = replicas;
        this.controller = controller;
    }

    /** The topic in the current metadata, or null while it does not exist. */
    public TopicImage image() {
        MetadataImage image = replicas.image();
        return image == null ? null : image.topicsByName().get(spec.name());
    }

    /**
     * Kafka's rule: the same key always maps to the same partition, counted on the existing topic (its partition count
     * may differ from the configuration), else on the configured count.
     */
    public int partitionFor(String key) {
        TopicImage topic = image();
        return Utils.abs(key.hashCode()) % (topic == null ? spec.numPartitions() : topic.partitions().size());
    }

    /**
     * The broker leading the key's partition, creating the topic first if needed; fails with COORDINATOR_NOT_AVAILABLE
     * while there is none.
     */
    public CompletableFuture<Integer> coordinatorOf(String key) {
        if (image() != null) {
            try {
                return CompletableFuture.completedFuture(leaderOf(key));
            } catch (CoordinatorNotAvailableException e) {
                return CompletableFuture.failedFuture(e);
            }
        }
        return controller.createTopics(List.of(spec), false).handle((results, error) -> {
            if (image() == null) {
                throw new CoordinatorNotAvailableException(spec.name() + " is being created");
            }
            return leaderOf(key);
        });
    }

    private int leaderOf(String key) {
        int partition = partitionFor(key);
        PartitionRegistration registration = image().partitions().get(partition);
        if (registration == null || registration.leader() < 0) {
            throw new CoordinatorNotAvailableException("Partition " + partition + " of " + spec.name() + " has no leader");
        }
        return registration.leader();
    }
}
