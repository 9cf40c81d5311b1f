package io.runnel.storage;

import static io.runnel.storage.TestBatches.transactional;
import static io.runnel.storage.TransactionLogTest.CONFIG;
import static io.runnel.storage.TransactionLogTest.LEADER_EPOCH;
import static io.runnel.storage.TransactionLogTest.NOW;
import static io.runnel.storage.TransactionLogTest.TP;
import static io.runnel.storage.TransactionLogTest.TV1;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.List;

import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.InvalidTxnStateException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** KIP-890's guard: a transactional batch opens a transaction only once the coordinator confirmed it, not after its end. */
class TransactionVerificationTest {
    private static final long PID = 42;
    private static final int TV2 = 2;

    @TempDir
    Path dir;
    private LogManager manager;
    private PartitionLog log;

    @BeforeEach
    void open() {
        manager = new LogManager(List.of(dir), 60_000, new MutableClock(NOW));
        manager.loadLogs(tp -> CONFIG);
        log = manager.getOrCreateLog(TP, Uuid.ONE_UUID, CONFIG);
    }

    @AfterEach
    void close() {
        manager.close();
    }

    private AppendResult append(VerificationGuard guard, int sequence) {
        return log.appendVerifiedAsLeader(transactional(PID, (short) 0, sequence, NOW, "v" + sequence), LEADER_EPOCH,
                guard);
    }

    @Test
    void theBatchOpeningATransactionNeedsTheGuardHandedOut() {
        VerificationGuard guard = log.startTransactionVerification(PID, (short) 0);
        assertThrows(InvalidTxnStateException.class, () -> append(null, 0));
        assertThrows(InvalidTxnStateException.class, () -> append(VerificationGuard.OPEN_TRANSACTION, 0));
        assertEquals(0, log.logEndOffset(), "nothing appended without the guard");
        assertEquals(0, append(guard, 0).firstOffset());
        // The transaction is open: the next check needs no coordinator.
        assertSame(VerificationGuard.OPEN_TRANSACTION, log.startTransactionVerification(PID, (short) 0));
        assertEquals(1, append(VerificationGuard.OPEN_TRANSACTION, 1).firstOffset());
    }

    @Test
    void aMarkerWrittenDuringTheCheckVoidsItsGuard() {
        append(log.startTransactionVerification(PID, (short) 0), 0);
        VerificationGuard stale = log.startTransactionVerification(PID, (short) 0);
        VerificationGuard started = log.startTransactionVerification(PID, (short) 0);
        assertSame(VerificationGuard.OPEN_TRANSACTION, stale);
        assertSame(VerificationGuard.OPEN_TRANSACTION, started);
        log.appendMarkerAsLeader(PID, (short) 0, 0, false, TV1, LEADER_EPOCH);
        // A batch delayed past the abort must not open a transaction nothing would end.
        assertThrows(InvalidTxnStateException.class, () -> append(stale, 1));

        VerificationGuard before = log.startTransactionVerification(PID, (short) 0);
        log.appendMarkerAsLeader(PID, (short) 0, 0, false, TV1, LEADER_EPOCH);
        assertThrows(InvalidTxnStateException.class, () -> append(before, 1));
        VerificationGuard after = log.startTransactionVerification(PID, (short) 0);
        assertNotSame(before, after);
        assertEquals(3, append(after, 1).firstOffset());
    }

    @Test
    void theNextTransactionOfABumpedEpochIsNotPartOfTheOpenOneAndOutlivesItsMarker() {
        append(log.startTransactionVerification(PID, (short) 0), 0);
        // transaction protocol v2: the next transaction's batch (epoch 1) may come before the marker of the open one
        VerificationGuard next = log.startTransactionVerification(PID, (short) 1);
        assertNotSame(VerificationGuard.OPEN_TRANSACTION, next, "a new epoch is a new transaction: the coordinator decides");
        log.appendMarkerAsLeader(PID, (short) 1, 0, true, TV2, LEADER_EPOCH);
        assertEquals(2, log.appendVerifiedAsLeader(transactional(PID, (short) 1, 0, NOW, "next"), LEADER_EPOCH, next)
                .firstOffset(), "the guard of the next epoch outlives the marker ending the previous one");
    }

    @Test
    void appendsWithoutVerificationAreNotChecked() {
        assertEquals(0, log.appendAsLeader(transactional(PID, (short) 0, 0, NOW, "v"), LEADER_EPOCH).firstOffset());
    }
}
