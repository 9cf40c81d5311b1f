package io.runnel.broker.quota;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * A throttled client's requests: until the throttle time last given has passed, each request waits, and those that
 * wait run one after another in the order they came (see {@link ClientQuotas#afterThrottle}).
 */
final class ThrottleQueue {
    /** Until when the client is throttled by the last throttle time given. */
    private long throttledUntilMs;
    /** Completes once the client's waiting requests have all started. */
    private CompletableFuture<Void> waiting = CompletableFuture.completedFuture(null);

    synchronized void throttledUntil(long untilMs) {
        throttledUntilMs = Math.max(throttledUntilMs, untilMs);
    }

    <T> CompletableFuture<T> afterThrottle(LongSupplier clockMs, Supplier<CompletableFuture<T>> request) {
        CompletableFuture<T> result = null;
        synchronized (this) {
            if (!waiting.isDone() || throttledUntilMs > clockMs.getAsLong()) {
                CompletableFuture<T> later = new CompletableFuture<>();
                waiting = waiting.thenCompose(previous -> untilUnthrottled(clockMs)).thenRun(() -> run(request, later));
                result = later;
            }
        }
        return result != null ? result : request.get();
    }

    private synchronized CompletableFuture<Void> untilUnthrottled(LongSupplier clockMs) {
        long waitMs = throttledUntilMs - clockMs.getAsLong();
        return waitMs <= 0 ? CompletableFuture.completedFuture(null)
                : CompletableFuture.runAsync(() -> { }, CompletableFuture.delayedExecutor(waitMs, TimeUnit.MILLISECONDS));
    }

    private static <T> void run(Supplier<CompletableFuture<T>> request, CompletableFuture<T> result) {
        try {
            request.get().whenComplete((value, error) -> {
                if (error != null) {
                    result.completeExceptionally(error);
                } else {
                    result.complete(value);
                }
            });
        } catch (RuntimeException e) {
            result.completeExceptionally(e);
        }
    }

}
