package io.runnel.metadata;

import java.util.Map;
import org.apache.kafka.common.Uuid;

/** A topic and its partitions (keyed by partition index). */
public record TopicImage(String name, Uuid id, Map<Integer, PartitionRegistration> partitions) {
    public TopicImage {
        partitions = Map.copyOf(partitions);
    }
}
