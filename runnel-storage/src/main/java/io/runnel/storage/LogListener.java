package io.runnel.storage;

/**
 * Told when a partition log comes into being here (loaded at start-up or created) and when it goes (deleted, or lost
 * with its offline log dir), on the thread that opens or drops the log: it must only take note (the broker registers
 * and removes the log's metrics).
 */
public interface LogListener {
    void onLogOpened(PartitionLog log);

    void onLogGone(PartitionLog log);
}
