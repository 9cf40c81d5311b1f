package io.runnel.broker.coordinator;

import io.runnel.storage.VerificationGuard;

import java.nio.ByteBuffer;

/** The partition a coordinator writes its records to, as its leader. */
public interface CoordinatorLog {
    /**
     * Appends one batch with acks=all rules (refused under min.insync.replicas) and returns the offset after it.
     * Throws the partition's ApiException when it cannot.
     */
    long append(ByteBuffer batch);

    /**
     * Appends a transactional batch whose transaction was confirmed to include the partition under {@code guard}
     * (KIP-890); throws INVALID_TXN_STATE when the transaction ended since, or as {@link #append} does.
     */
    long appendVerified(ByteBuffer batch, VerificationGuard guard);

    /**
     * Appends the commit or abort marker of a producer's transaction (WriteTxnMarkers) and returns the offset after it;
     * throws as {@link #append} does, or with the marker's epoch errors.
     */
    long appendMarker(TransactionMarker marker);

    /** Records below this offset are committed: replicated to the whole ISR. */
    long highWatermark();
}
