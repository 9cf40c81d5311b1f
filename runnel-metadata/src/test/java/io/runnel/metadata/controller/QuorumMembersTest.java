package io.runnel.metadata.controller;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.runnel.metadata.MetadataDelta;
import io.runnel.metadata.MetadataImage;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.Uuid;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The metadata directory each quorum member registers: written once, replaced by a new one, kept by snapshots. */
class QuorumMembersTest {
    private final InMemoryMetadataLog log = new InMemoryMetadataLog();
    private final QuorumController controller = new QuorumController(log, 1, (short) 1, 1, 10_000, 9_000, System::nanoTime);

    @AfterEach
    void close() {
        controller.close();
    }

    @Test
    void aRestartWritesNothingAndAReformattedDirectoryReplacesTheOldOne() throws Exception {
        Uuid first = Uuid.randomUuid();
        Uuid second = Uuid.randomUuid();
        Uuid reformatted = Uuid.randomUuid();
        register(1, first);
        register(2, second);
        register(1, first);
        assertEquals(2, log.entries.size(), "a member registering the same directory again writes nothing");

        register(1, reformatted);
        assertEquals(Map.of(1, reformatted, 2, second), log.image().quorumDirectories());

        MetadataDelta rebuilt = new MetadataDelta(MetadataImage.empty("test-cluster"));
        log.image().toRecords().forEach(rebuilt::replay);
        assertEquals(log.image().quorumDirectories(), rebuilt.apply(1).quorumDirectories(), "a snapshot keeps them");
    }

    private void register(int nodeId, Uuid directoryId) throws Exception {
        controller.registerQuorumMember(nodeId, directoryId).get(10, TimeUnit.SECONDS);
    }
}
