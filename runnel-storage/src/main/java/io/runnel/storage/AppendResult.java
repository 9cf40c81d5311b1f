package io.runnel.storage;

/**
 * Outcome of {@link PartitionLog#appendAsLeader}. {@code logAppendTime} is -1 unless the log uses LogAppendTime;
 * {@code duplicate} marks a retried idempotent batch answered with the offsets it was first given.
 */
public record AppendResult(long firstOffset, long lastOffset, long logAppendTime, long logStartOffset,
                           boolean duplicate) {
}
