package io.runnel.broker.producer;

import io.runnel.metadata.Controller;

import java.util.concurrent.CompletableFuture;

/**
 * Hands out producer ids from blocks the controller allocates in the metadata log, so ids stay
 * unique across brokers and restarts while most InitProducerId requests cost no metadata write.
 */
public final class ProducerIdManager {
    static final int BLOCK_SIZE = 1000;

    private final int brokerId;
    private final Controller controller;
    private long next;
    private long end;
    private CompletableFuture<Void> pendingBlock;

    public ProducerIdManager(int brokerId, Controller controller) {
        this.brokerId = brokerId;
        this.controller = controller;
    }

    public synchronized CompletableFuture<Long> nextId() {
        if (next < end) {
            return CompletableFuture.completedFuture(next++);
        }
        CompletableFuture<Void> block = pendingBlock;
        if (block == null) {
            // A local: the controller may complete at once, running clearPending before this method returns.
            block = controller.allocateProducerIds(brokerId, BLOCK_SIZE).thenAccept(this::installBlock);
            pendingBlock = block;
            CompletableFuture<Void> allocated = block;
            block.whenComplete((ok, error) -> clearPending(allocated));
        }
        return block.thenCompose(ok -> nextId());
    }

    private synchronized void installBlock(long first) {
        next = first;
        end = first + BLOCK_SIZE;
    }

    private synchronized void clearPending(CompletableFuture<Void> block) {
        if (pendingBlock == block) {
            pendingBlock = null;
        }
    }
}
