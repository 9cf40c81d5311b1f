package io.runnel.metadata;

import java.util.List;
import java.util.Map;

/**
 * A topic to create. {@code numPartitions} / {@code replicationFactor} of -1 mean the cluster default;
 * an empty {@code assignments} lets the controller place replicas.
 */
public record CreateTopicSpec(String name, int numPartitions, short replicationFactor,
                              Map<Integer, List<Integer>> assignments, Map<String, String> configs) {
    public CreateTopicSpec {
        assignments = assignments == null ? Map.of() : assignments;
        configs = configs == null ? Map.of() : configs;
    }
}
