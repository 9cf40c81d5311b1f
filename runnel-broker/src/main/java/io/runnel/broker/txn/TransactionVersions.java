package io.runnel.broker.txn;

/**
 * The levels of Kafka's {@code transaction.version} feature a transaction can follow, as {@code __transaction_state}
 * and WriteTxnMarkers v2 record them.
 */
public final class TransactionVersions {
    /** The original protocol: clients add partitions explicitly and keep their epoch across transactions. */
    public static final short TV0 = 0;
    /**
     * KIP-890's protocol: partition leaders add partitions for the producer, and each transaction's end bumps the
     * producer epoch (its markers carry the bumped epoch).
     */
    public static final short TV2 = 2;

    private TransactionVersions() {
    }
}
