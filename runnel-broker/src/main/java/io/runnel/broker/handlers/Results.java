package io.runnel.broker.handlers;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/** The per-key results of a request that answers several keys (groups, shards), each when it is ready. */
final class Results {
    private Results() {
    }

    /** Completes, once every one of {@code results} has, with their values in the same order. */
    static <T> CompletableFuture<List<T>> inOrder(List<CompletableFuture<T>> results) {
        return CompletableFuture.allOf(results.toArray(CompletableFuture[]::new))
                .thenApply(done -> results.stream().map(CompletableFuture::join).toList());
    }
}
