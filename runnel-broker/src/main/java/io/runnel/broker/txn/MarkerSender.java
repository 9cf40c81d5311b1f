package io.runnel.broker.txn;

import java.util.concurrent.CompletableFuture;

/** Writes a transaction's markers to its partitions. */
@FunctionalInterface
public interface MarkerSender {
    /**
     * Completes once every partition has acknowledged its marker (or no longer exists); fails when a partition says the
     * coordinator or the producer epoch is stale. Retries everything else; cancelling the future stops it.
     */
    CompletableFuture<Void> send(TransactionMarkers markers);
}
