package io.runnel.metadata;

import static io.runnel.metadata.QuorumTestSupport.get;
import static io.runnel.metadata.QuorumTestSupport.startSingle;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.runnel.metadata.quorum.RatisMetadataLog;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A node whose metadata log sits under the name-based group id (a hash of the cluster id) keeps its metadata. */
class NameBasedGroupDirectoryTest {
    /** A canonical Kafka UUID, as `runnel storage random-uuid` prints: its group id is its own bits. */
    private static final String CLUSTER_ID = "q1Sh-9_ISia_zwGINzRvyQ";

    @TempDir
    Path dir;

    @Test
    void aLogStoredUnderTheNameBasedGroupIdIsRecovered() throws Exception {
        try (MetadataQuorum quorum = startSingle(dir, 10_000, CLUSTER_ID)) {
            BrokerRegistrations.registerUnfenced(quorum.controller(), CLUSTER_ID, 1, null);
            get(quorum.controller().createTopics(List.of(new CreateTopicSpec("kept", 1, (short) 1, Map.of(), Map.of())),
                    false));
        }
        Path storage = dir.resolve(RatisMetadataLog.STORAGE_DIR_NAME);
        Path group;
        try (Stream<Path> groups = Files.list(storage)) {
            group = groups.filter(Files::isDirectory).findFirst().orElseThrow();
        }
        UUID nameBased = UUID.nameUUIDFromBytes(CLUSTER_ID.getBytes(StandardCharsets.UTF_8));
        Files.move(group, storage.resolve(nameBased.toString()));

        try (MetadataQuorum quorum = startSingle(dir, 10_000, CLUSTER_ID)) {
            assertTrue(quorum.image().topicsByName().containsKey("kept"), "the topic created before is there");
        }
        assertFalse(Files.exists(storage.resolve(nameBased.toString())));
    }
}
