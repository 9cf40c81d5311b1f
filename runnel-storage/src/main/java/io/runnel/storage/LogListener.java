package io.runnel.storage;

/**
 * Told when a partition log comes into being here (loaded at start-up or created) and when it is deleted, under the
 * log manager's lock: it must only take note (the broker registers and removes the log's metrics).
 */
public interface LogListener {
    void onLogOpened(PartitionLog log);

    void onLogDeleted(PartitionLog log);
}
