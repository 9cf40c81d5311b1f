package io.runnel.broker.group;

/** A committed offset as OffsetFetch returns it; {@code leaderEpoch} -1 when the client gave none. */
public record CommittedOffset(long offset, int leaderEpoch, String metadata, long commitTimestamp) {
}
