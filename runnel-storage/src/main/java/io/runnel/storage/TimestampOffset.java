package io.runnel.storage;

/** A record's timestamp and offset, with the leader epoch of its batch. */
public record TimestampOffset(long timestamp, long offset, int leaderEpoch) {
}
