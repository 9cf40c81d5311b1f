package io.runnel.metadata;

/**
 * How long this member's elections took, from its candidacy to its becoming leader or follower, in milliseconds:
 * the mean and maximum of the recent ones (NaN before its first), for Kafka's raft-metrics election-latency.
 */
public record ElectionLatency(double avgMs, double maxMs) {
    public static final ElectionLatency NONE = new ElectionLatency(Double.NaN, Double.NaN);
}
