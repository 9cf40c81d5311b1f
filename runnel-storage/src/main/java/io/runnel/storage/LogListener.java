package io.runnel.storage;

/**
 * Told when a partition log comes into being here (loaded at start-up or created) and when it goes (deleted, or lost
 * with its offline log dir), on the thread that opens or drops the log: it must only take note (the broker registers
 * and removes the log's metrics), and of each flush.
 */
public interface LogListener {
    void onLogOpened(PartitionLog log);

    void onLogGone(PartitionLog log);

    /**
     * A log's fsync of its unflushed segments took {@code nanos}; on the flushing thread (a scheduler's, never an
     * event loop's), so it must only take note.
     */
    default void onLogFlushed(long nanos) {
    }
}
