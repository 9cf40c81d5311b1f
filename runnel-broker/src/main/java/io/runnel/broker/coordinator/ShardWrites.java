package io.runnel.broker.coordinator;

import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.errors.CoordinatorNotAvailableException;
import org.apache.kafka.common.protocol.Errors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/** How a coordinator shard hands the outcome of its writes to the requests waiting for them. */
public final class ShardWrites {
    private static final Logger log = LoggerFactory.getLogger(ShardWrites.class);

    private ShardWrites() {
    }

    /**
     * The outcome of {@code written}, completed while holding {@code lock} (the shard), so that its dependents run
     * under the shard's lock; a failure is unwrapped and mapped by {@code errors}.
     */
    public static CompletableFuture<Void> underLock(Object lock, CompletableFuture<Void> written,
                                                    Function<Throwable, ApiException> errors) {
        CompletableFuture<Void> result = new CompletableFuture<>();
        written.whenComplete((done, error) -> {
            synchronized (lock) {
                if (error == null) {
                    result.complete(null);
                } else {
                    result.completeExceptionally(errors.apply(Errors.maybeUnwrapException(error)));
                }
            }
        });
        return result;
    }

    /** A failed write's error: an ApiException as it is, anything else logged and COORDINATOR_NOT_AVAILABLE. */
    public static ApiException writeError(Throwable error, String partition) {
        if (error instanceof ApiException e) {
            return e;
        }
        log.error("A write to {} failed", partition, error);
        return new CoordinatorNotAvailableException("Cannot write to " + partition);
    }
}
