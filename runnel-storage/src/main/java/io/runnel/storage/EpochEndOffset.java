package io.runnel.storage;

/** Kafka's OffsetsForLeaderEpoch answer: the largest epoch not above the one asked for, and where it ends. */
public record EpochEndOffset(int epoch, long endOffset) {
}
