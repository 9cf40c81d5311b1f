package io.runnel.storage;

/**
 * An aborted transaction as the {@code .txnindex} holds it (Kafka's layout): the producer, the offsets of its first
 * batch and of its abort marker, and the partition's last stable offset once the abort was written.
 */
public record AbortedTxn(long producerId, long firstOffset, long lastOffset, long lastStableOffset) {
}
