package io.runnel.it;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/** Assertions on the futures kafka-clients return. */
public final class Futures {
    private static final long TIMEOUT_SECONDS = 60;

    private Futures() {
    }

    public static <T> T get(Future<T> future) {
        try {
            return future.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new AssertionError("operation failed: " + e.getCause(), e.getCause());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** The future fails, and its cause is exactly of the given kind (not just some ApiException). */
    public static <E extends Throwable> E assertFailsWith(Class<E> expected, Future<?> future) {
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> future.get(TIMEOUT_SECONDS, TimeUnit.SECONDS));
        return assertInstanceOf(expected, e.getCause());
    }
}
