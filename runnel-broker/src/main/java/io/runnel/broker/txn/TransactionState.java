package io.runnel.broker.txn;

/**
 * Kafka's states of a transactional id, with the ids {@code __transaction_state} stores and the names
 * DescribeTransactions and ListTransactions use. PrepareEpochFence and Dead are never written as a value: Dead is the
 * tombstone of an expired id, PrepareEpochFence Kafka's in-memory step before it aborts a fenced transaction.
 */
public enum TransactionState {
    EMPTY(0, "Empty"),
    ONGOING(1, "Ongoing"),
    PREPARE_COMMIT(2, "PrepareCommit"),
    PREPARE_ABORT(3, "PrepareAbort"),
    COMPLETE_COMMIT(4, "CompleteCommit"),
    COMPLETE_ABORT(5, "CompleteAbort"),
    DEAD(6, "Dead"),
    PREPARE_EPOCH_FENCE(7, "PrepareEpochFence");

    private final byte id;
    private final String displayName;

    TransactionState(int id, String displayName) {
        this.id = (byte) id;
        this.displayName = displayName;
    }

    public byte id() {
        return id;
    }

    /** The name Kafka's APIs and tools show. */
    public String displayName() {
        return displayName;
    }

    /** Markers are being written: the transaction's outcome is decided but not yet on every partition. */
    public boolean isPreparing() {
        return this == PREPARE_COMMIT || this == PREPARE_ABORT;
    }

    /** No transaction is open: a new one may start, and the producer epoch may be bumped. */
    public boolean isIdle() {
        return this == EMPTY || this == COMPLETE_COMMIT || this == COMPLETE_ABORT;
    }

    public static TransactionState fromId(byte id) {
        for (TransactionState state : values()) {
            if (state.id == id) {
                return state;
            }
        }
        throw new IllegalArgumentException("Unknown transaction state id " + id);
    }

    /** The state of a display name, or null for a name Kafka does not have. */
    public static TransactionState fromDisplayName(String name) {
        for (TransactionState state : values()) {
            if (state.displayName.equals(name)) {
                return state;
            }
        }
        return null;
    }
}
