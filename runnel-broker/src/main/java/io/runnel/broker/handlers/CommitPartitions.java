package io.runnel.broker.handlers;

import io.runnel.broker.group.CommittedOffset;
import io.runnel.metadata.MetadataImage;
import io.runnel.metadata.TopicImage;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.protocol.Errors;

import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The partitions of an OffsetCommit or TxnOffsetCommit request ({@code P} is the request's partition type), checked
 * as Kafka checks them before the group validates the committer: TOPIC_AUTHORIZATION_FAILED without READ on the
 * topic, UNKNOWN_TOPIC_OR_PARTITION (UNKNOWN_TOPIC_ID for an unknown topic named by id), OFFSET_METADATA_TOO_LARGE;
 * the others are committed and answer the group's error.
 */
final class CommitPartitions<P> {
    private final MetadataImage image;
    private final boolean byId;
    private final int maxMetadata;
    private final long now;
    private final Predicate<String> readAllowed;
    private final Map<P, Errors> errors = new IdentityHashMap<>();
    private final Map<P, TopicPartition> committing = new IdentityHashMap<>();
    private final Map<TopicPartition, CommittedOffset> commits = new LinkedHashMap<>();

    /**
     * @param byId whether the request names topics by id (else by name)
     * @param readAllowed whether the committer may READ a topic
     */
    CommitPartitions(MetadataImage image, boolean byId, int maxMetadata, long now, Predicate<String> readAllowed) {
        this.readAllowed = readAllowed;
        this.image = image;
        this.byId = byId;
        this.maxMetadata = maxMetadata;
        this.now = now;
    }

    /** One partition of the topic the request names by {@code name} or {@code id}. */
    void add(String name, Uuid id, P partition, int index, long offset, int leaderEpoch, String metadata) {
        TopicImage topic = byId ? image.topicsById().get(id) : image.topicsByName().get(name);
        String topicName = byId ? (topic == null ? null : topic.name()) : name;
        if (topicName != null && !readAllowed.test(topicName)) {
            errors.put(partition, Errors.TOPIC_AUTHORIZATION_FAILED);
        } else if (topic == null || !topic.partitions().containsKey(index)) {
            errors.put(partition, byId && topic == null ? Errors.UNKNOWN_TOPIC_ID : Errors.UNKNOWN_TOPIC_OR_PARTITION);
        } else if (metadata != null && metadata.length() > maxMetadata) {
            errors.put(partition, Errors.OFFSET_METADATA_TOO_LARGE);
        } else {
            TopicPartition tp = new TopicPartition(topic.name(), index);
            committing.put(partition, tp);
            commits.put(tp, new CommittedOffset(offset, leaderEpoch, metadata == null ? "" : metadata, now));
        }
    }

    /** The offsets to commit. */
    Map<TopicPartition, CommittedOffset> commits() {
        return commits;
    }

    /** Each partition's error once the group's is known (it answers the committed partitions). */
    Map<P, Errors> errors(Errors groupError) {
        committing.keySet().forEach(p -> errors.put(p, groupError));
        return errors;
    }
}
