package io.runnel.metadata;

import java.util.List;

/** Grow {@code topic} to {@code totalCount} partitions; {@code assignments} (nullable) places the new ones. */
public record CreatePartitionsSpec(String topic, int totalCount, List<List<Integer>> assignments) {
}
