package io.runnel.metadata;

/** Told of what Kafka's raft-metrics time and count; calls must only take note (they run on Raft's threads). */
public interface RaftEvents {
    RaftEvents NONE = new RaftEvents() {
        @Override
        public void committed(int records, long nanos) {
        }

        @Override
        public void leaderElected(long nanos) {
        }
    };

    /** This member, leading, appended {@code records} records and saw them committed {@code nanos} later. */
    void committed(int records, long nanos);

    /** A leader became known {@code nanos} after this member lost the previous one. */
    void leaderElected(long nanos);
}
