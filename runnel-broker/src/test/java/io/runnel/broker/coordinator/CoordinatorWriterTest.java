package io.runnel.broker.coordinator;

import io.runnel.storage.VerificationGuard;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.errors.CoordinatorNotAvailableException;
import org.apache.kafka.common.errors.NotCoordinatorException;
import org.apache.kafka.common.errors.NotEnoughReplicasException;
import org.apache.kafka.common.errors.NotLeaderOrFollowerException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The writer on a log whose high watermark the test moves: a write completes when the high watermark reaches the end
 * of its batch, in append order, on the runtime's thread; it fails as Kafka's coordinators map write failures.
 */
class CoordinatorWriterTest {
    /** Each batch takes ten offsets; the high watermark moves only when the test says. */
    private static final class FakeLog implements CoordinatorLog {
        final AtomicLong end = new AtomicLong();
        final AtomicLong highWatermark = new AtomicLong();
        final AtomicReference<ApiException> refuse = new AtomicReference<>();

        @Override
        public long append(ByteBuffer batch) {
            ApiException error = refuse.get();
            if (error != null) {
                throw error;
            }
            return end.addAndGet(10);
        }

        @Override
        public long appendVerified(ByteBuffer batch, VerificationGuard guard) {
            return append(batch);
        }

        @Override
        public long appendMarker(TransactionMarker marker) {
            return append(null);
        }

        @Override
        public long highWatermark() {
            return highWatermark.get();
        }
    }

    private final CoordinatorRuntime runtime = new CoordinatorRuntime(60_000);
    private final FakeLog log = new FakeLog();
    private final CoordinatorWriter writer = runtime.writer("__consumer_offsets-0", log);
    private final List<String> applied = new CopyOnWriteArrayList<>();

    @AfterEach
    void stop() {
        runtime.close();
    }

    private CompletableFuture<Void> write(String name) {
        return writer.write(ByteBuffer.allocate(1), () -> applied.add(name + " on " + Thread.currentThread().getName()));
    }

    /** Returns once the runtime's thread has run every task queued before: a write already committed queues one. */
    private void drain(CoordinatorRuntime on) {
        FakeLog committed = new FakeLog();
        committed.highWatermark.set(Long.MAX_VALUE);
        on.writer("probe", committed).write(ByteBuffer.allocate(1), null).join();
    }

    private void moveHighWatermark(long offset) {
        log.highWatermark.set(offset);
        writer.onHighWatermark();
    }

    @Test
    void aWriteCompletesOnceTheHighWatermarkReachesTheEndOfItsBatch() {
        CompletableFuture<Void> first = write("a");
        moveHighWatermark(9);
        CompletableFuture<Void> probe = writer.whenCommitted();
        moveHighWatermark(9);
        drain(runtime);
        assertFalse(first.isDone(), "one offset short of the batch's end");
        assertFalse(probe.isDone());
        assertTrue(applied.isEmpty(), "nothing applied before it is committed");

        moveHighWatermark(10);
        first.join();
        probe.join();
        assertEquals(1, applied.size());
        assertTrue(applied.get(0).startsWith("a on runnel-coordinator-events"), applied.get(0));
    }

    @Test
    void completionsRunInAppendOrderOnTheRuntimesThread() {
        List<String> completed = new CopyOnWriteArrayList<>();
        CompletableFuture<Void> a = write("a").thenRun(() -> completed.add("a"));
        CompletableFuture<Void> b = write("b").thenRun(() -> completed.add("b"));
        CompletableFuture<Void> c = write("c").thenRun(() -> completed.add("c"));
        CompletableFuture<Void> afterAll = writer.whenCommitted().thenRun(() -> completed.add("after"));
        moveHighWatermark(30);
        CompletableFuture.allOf(a, b, c, afterAll).join();
        assertEquals(List.of("a", "b", "c", "after"), completed);
        assertEquals(List.of("a", "b", "c"), applied.stream().map(s -> s.substring(0, 1)).toList());
        assertTrue(applied.stream().allMatch(line -> line.contains(" on runnel-coordinator-events")), applied.toString());
    }

    @Test
    void aHighWatermarkAlreadyPastTheBatchCompletesTheWrite() {
        log.highWatermark.set(1_000);
        write("a").join();
        assertEquals(1, applied.size());
        assertTrue(writer.whenCommitted().isDone(), "nothing pending");
    }

    @Test
    void losingLeadershipFailsPendingWritesWithNotCoordinatorAndTheirActionsNeverRun() {
        CompletableFuture<Void> first = write("a");
        CompletableFuture<Void> afterAll = writer.whenCommitted();
        writer.close(new NotCoordinatorException("gone"));
        assertInstanceOf(NotCoordinatorException.class, assertThrows(CompletionException.class, first::join).getCause());
        assertInstanceOf(NotCoordinatorException.class, assertThrows(CompletionException.class, afterAll::join).getCause());
        moveHighWatermark(100);
        drain(runtime);
        assertTrue(applied.isEmpty());
        assertInstanceOf(NotCoordinatorException.class,
                assertThrows(CompletionException.class, () -> write("b").join()).getCause());
    }

    @Test
    void failedAppendsAreMappedAsKafkasCoordinatorMapsThem() {
        log.refuse.set(new NotEnoughReplicasException("ISR too small"));
        assertInstanceOf(CoordinatorNotAvailableException.class,
                assertThrows(CompletionException.class, () -> write("a").join()).getCause());
        log.refuse.set(new NotLeaderOrFollowerException("moved"));
        assertInstanceOf(NotCoordinatorException.class,
                assertThrows(CompletionException.class, () -> write("b").join()).getCause());
        assertTrue(applied.isEmpty());
    }

    @Test
    void aWriteNotCommittedInTimeFailsButIsAppliedIfItCommitsLater() {
        CoordinatorRuntime quick = new CoordinatorRuntime(50);
        try {
            CoordinatorWriter timed = quick.writer("t", log);
            CompletableFuture<Void> write = timed.write(ByteBuffer.allocate(1), () -> applied.add("late"));
            assertInstanceOf(CoordinatorNotAvailableException.class,
                    assertThrows(CompletionException.class, write::join).getCause());
            log.highWatermark.set(10);
            timed.onHighWatermark();
            drain(quick);
            assertEquals(List.of("late"), applied, "the state follows the log");
        } finally {
            quick.close();
        }
    }
}
