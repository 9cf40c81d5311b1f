package io.runnel.metadata;

/** Told of what Kafka's raft-metrics time and count; calls must only take note (they run on Raft's threads). */
@FunctionalInterface
public interface RaftEvents {
    RaftEvents NONE = (records, nanos) -> { };

    /** This member, leading, appended {@code records} records and saw them committed {@code nanos} later. */
    void committed(int records, long nanos);
}
