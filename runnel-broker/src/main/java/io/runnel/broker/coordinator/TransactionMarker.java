package io.runnel.broker.coordinator;

/** The end of a producer's transaction on a coordinator's partition, as WriteTxnMarkers names it. */
public record TransactionMarker(long producerId, short producerEpoch, int coordinatorEpoch, boolean commit,
                                int transactionVersion) {
}
