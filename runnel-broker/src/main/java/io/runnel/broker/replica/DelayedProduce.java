package io.runnel.broker.replica;

import io.netty.util.Timeout;
import org.apache.kafka.common.protocol.Errors;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * An acks=all produce (or transaction marker write) waiting for the high watermark of each partition it appended to
 * to pass its batches. Each partition's response is told its error, if any, as the partition decides it
 * ({@link Partition#produceStatus}); the request completes when every partition has an outcome, or with
 * REQUEST_TIMED_OUT for the rest after the request's timeout.
 */
final class DelayedProduce {
    /** One partition the request appended to, the offset its high watermark must reach, and where its error goes. */
    record Waiting(Partition partition, long requiredOffset, Consumer<Errors> onError) {
    }

    private final List<Waiting> waiting;
    private final boolean[] decided;
    private final CompletableFuture<Void> done = new CompletableFuture<>();
    private volatile Timeout timeout;

    DelayedProduce(List<Waiting> waiting) {
        this.waiting = waiting;
        this.decided = new boolean[waiting.size()];
    }

    void setTimeout(Timeout timeout) {
        this.timeout = timeout;
    }

    CompletableFuture<Void> done() {
        return done;
    }

    /** @return true once complete, so that the partitions drop it. */
    synchronized boolean tryComplete() {
        if (done.isDone()) {
            return true;
        }
        boolean all = true;
        for (int i = 0; i < waiting.size(); i++) {
            if (!decided[i]) {
                Waiting w = waiting.get(i);
                Errors status = w.partition().produceStatus(w.requiredOffset());
                if (status == null) {
                    all = false;
                } else {
                    decide(i, status);
                }
            }
        }
        if (all) {
            finish();
        }
        return all;
    }

    synchronized void expire() {
        if (done.isDone()) {
            return;
        }
        for (int i = 0; i < waiting.size(); i++) {
            if (!decided[i]) {
                decide(i, Errors.REQUEST_TIMED_OUT);
            }
        }
        finish();
    }

    private void decide(int i, Errors status) {
        decided[i] = true;
        if (status != Errors.NONE) {
            waiting.get(i).onError().accept(status);
        }
    }

    private void finish() {
        Timeout t = timeout;
        if (t != null) {
            t.cancel();
        }
        done.complete(null);
    }
}
