package io.runnel.storage;

/**
 * What a partition leader holds while the transaction coordinator confirms that a producer's transaction includes the
 * partition (KIP-890): a transactional batch that would open a transaction here is appended only with the guard
 * handed out when the check started, and only if no marker ending the batch's transaction was written meanwhile (such
 * a marker ends the guard). A batch delayed past the end of its transaction can then not open a transaction that
 * nothing would end.
 */
public final class VerificationGuard {
    /** Handed out when the producer had a transaction open at the batch's epoch: appending is fine while it stays open. */
    public static final VerificationGuard OPEN_TRANSACTION = new VerificationGuard(-1, (short) -1);

    private final long startedMs;
    private final short epoch;

    VerificationGuard(long startedMs, short epoch) {
        this.startedMs = startedMs;
        this.epoch = epoch;
    }

    long startedMs() {
        return startedMs;
    }

    /** The producer epoch of the batches checked. */
    short epoch() {
        return epoch;
    }
}
