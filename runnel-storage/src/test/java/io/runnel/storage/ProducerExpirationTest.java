package io.runnel.storage;

import static io.runnel.storage.TestBatches.idempotent;
import static io.runnel.storage.TestBatches.transactional;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.junit.jupiter.api.Test;

/** Producer ids expire after producer.id.expiration.ms without a write, unless their transaction is open. */
class ProducerExpirationTest extends LogManagerFixture {
    private static final long EXPIRATION_MS = 60_000;

    @Test
    void anIdleProducerIsForgottenAndOneWithAnOpenTransactionOrARecentWriteIsKept() {
        PartitionLog log = manager.getOrCreateLog(new TopicPartition("expiring", 0), Uuid.randomUuid(),
                LogConfig.defaults());
        log.appendAsLeader(idempotent(7, (short) 0, 0, NOW, "idle"), 0);
        log.appendAsLeader(transactional(8, (short) 0, 0, NOW, "open"), 0);
        log.appendAsLeader(idempotent(9, (short) 0, 0, NOW, "early"), 0);
        log.appendAsLeader(transactional(10, (short) 0, 0, NOW, "aborted"), 0);

        clock.advance(EXPIRATION_MS / 2);
        log.appendAsLeader(idempotent(9, (short) 0, 1, clock.millis(), "recent"), 0);
        log.appendMarkerAsLeader(10, (short) 0, 0, false, 0, 0);

        clock.advance(EXPIRATION_MS / 2 + 1);
        new PeriodicLogTasks(clock, manager::allLogs).expireProducers(EXPIRATION_MS);
        assertEquals(List.of(8L, 9L, 10L), producers(log),
                "producer 7 wrote nothing for longer than the expiration; 10's marker counts as a write");

        clock.advance(EXPIRATION_MS);
        new PeriodicLogTasks(clock, manager::allLogs).expireProducers(EXPIRATION_MS);
        assertEquals(List.of(8L), producers(log), "an open transaction keeps its producer");
    }

    private static List<Long> producers(PartitionLog log) {
        return log.activeProducers().stream().map(ActiveProducer::producerId).sorted().toList();
    }
}
