package io.runnel.metadata;

import static io.runnel.metadata.QuorumTestSupport.get;
import static io.runnel.metadata.QuorumTestSupport.startSingle;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.runnel.metadata.quorum.RatisMetadataLog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MetadataQuorumTest {
    @TempDir
    Path dir;

    private static CreateTopicSpec topic(String name, int partitions) {
        return new CreateTopicSpec(name, partitions, (short) 1, Map.of(), Map.of("cleanup.policy", "compact"));
    }

    @Test
    void singleNodeCreatesTopicsIntoTheImage() throws Exception {
        try (MetadataQuorum quorum = startSingle(dir, 10_000)) {
            assertTrue(quorum.isActiveController());
            assertTrue(Files.isDirectory(dir.resolve(RatisMetadataLog.STORAGE_DIR_NAME)));
            BrokerRegistrations.registerUnfenced(quorum.controller(), QuorumTestSupport.CLUSTER_ID, 1, null);

            TopicResult result = get(quorum.controller().createTopics(List.of(topic("events", 3)), false)).get(0);

            assertEquals(Errors.NONE, result.error());
            MetadataImage image = quorum.image();
            TopicImage events = image.topicsByName().get("events");
            assertEquals(result.topicId(), events.id());
            assertEquals(Set.of(0, 1, 2), events.partitions().keySet());
            assertEquals(1, events.partitions().get(2).leader());
            assertEquals(Map.of("cleanup.policy", "compact"), image.topicConfigs("events"));
            assertEquals(QuorumTestSupport.CLUSTER_ID, image.clusterId());
        }
    }

    @Test
    void restartReplaysTheLog() throws Exception {
        MetadataImage before;
        long firstBlock;
        try (MetadataQuorum quorum = startSingle(dir, 100_000)) {
            BrokerRegistrations.registerUnfenced(quorum.controller(), QuorumTestSupport.CLUSTER_ID, 1, null);
            get(quorum.controller().createTopics(List.of(topic("a", 2), topic("b", 1)), false));
            get(quorum.controller().createPartitions(List.of(new CreatePartitionsSpec("a", 4, null)), false));
            get(quorum.controller().deleteTopics(List.of("b"), List.of()));
            firstBlock = get(quorum.controller().allocateProducerIds(1, 1000));
            before = quorum.image();
        }
        try (Stream<Path> snapshots = snapshotFiles()) {
            assertFalse(snapshots.findAny().isPresent(), "no snapshot: the restart must replay the log");
        }
        try (MetadataQuorum quorum = startSingle(dir, 100_000)) {
            MetadataImage after = quorum.image();
            assertEquals(before.brokers(), after.brokers());
            assertEquals(before.topicsByName(), after.topicsByName());
            assertEquals(before.topicsById(), after.topicsById());
            assertEquals(before.nextProducerId(), after.nextProducerId());
            // Start-up appends a barrier entry, so the offset moves on; the content is identical.
            assertTrue(after.lastAppliedOffset() > before.lastAppliedOffset());
            long secondBlock = get(quorum.controller().allocateProducerIds(1, 1000));
            assertTrue(secondBlock >= firstBlock + 1000, "producer id blocks never repeat across restarts");
        }
    }

    @Test
    void restartLoadsTheSnapshot() throws Exception {
        MetadataImage before;
        try (MetadataQuorum quorum = startSingle(dir, 5)) {
            BrokerRegistrations.registerUnfenced(quorum.controller(), QuorumTestSupport.CLUSTER_ID, 1, null);
            for (int i = 0; i < 10; i++) {
                get(quorum.controller().createTopics(List.of(topic("t" + i, 1)), false));
            }
            get(quorum.controller().allocateProducerIds(1, 10));
            before = quorum.image();
        }
        try (Stream<Path> snapshots = snapshotFiles()) {
            assertTrue(snapshots.findAny().isPresent(), "a snapshot was written");
        }
        try (MetadataQuorum quorum = startSingle(dir, 5)) {
            MetadataImage after = quorum.image();
            assertEquals(before.topicsByName(), after.topicsByName());
            assertEquals(before.brokers(), after.brokers());
            assertEquals(before.topicConfigs("t3"), after.topicConfigs("t3"));
            assertEquals(10, after.nextProducerId());
            assertEquals(Errors.TOPIC_ALREADY_EXISTS,
                    get(quorum.controller().createTopics(List.of(topic("t0", 1)), false)).get(0).error());
        }
    }

    private Stream<Path> snapshotFiles() throws java.io.IOException {
        return Files.walk(dir).filter(p -> p.getFileName().toString().matches("snapshot\\.\\d+_\\d+"));
    }

    @Test
    void listenerSeesEveryChangeInOrder() throws Exception {
        try (MetadataQuorum quorum = startSingle(dir, 10_000)) {
            List<MetadataImage[]> updates = new CopyOnWriteArrayList<>();
            quorum.addListener((previous, current) -> updates.add(new MetadataImage[]{previous, current}));
            assertEquals(1, updates.size());
            assertTrue(updates.get(0)[0].topicsByName().isEmpty());
            assertSame(quorum.image(), updates.get(0)[1]);

            BrokerRegistrations.registerUnfenced(quorum.controller(), QuorumTestSupport.CLUSTER_ID, 1, null);
            get(quorum.controller().createTopics(List.of(topic("x", 1)), false));
            get(quorum.controller().deleteTopics(List.of("x"), List.of()));

            // Each update continues from the previous one.
            for (int i = 1; i < updates.size(); i++) {
                assertSame(updates.get(i - 1)[1], updates.get(i)[0]);
            }
            MetadataImage last = updates.get(updates.size() - 1)[1];
            assertSame(quorum.image(), last);
            assertTrue(updates.stream().anyMatch(u -> u[1].topicsByName().containsKey("x")));
            assertFalse(last.topicsByName().containsKey("x"));
            assertEquals(Set.of(1), last.brokers().keySet());
        }
    }

    @Test
    void differentClusterIdsUseDifferentGroups() throws Exception {
        Path other = dir.resolve("other");
        try (MetadataQuorum quorum = startSingle(dir, 10_000)) {
            BrokerRegistrations.registerUnfenced(quorum.controller(), QuorumTestSupport.CLUSTER_ID, 1, null);
        }
        MetadataQuorum foreign = new MetadataQuorum(new QuorumConfig(1, "AnotherClusterIdAAAAAA",
                Map.of(1, new java.net.InetSocketAddress("127.0.0.1", QuorumTestSupport.freePort())), other, 1, (short) 1, 1,
                100, 9_000, null));
        try (foreign) {
            foreign.start();
            assertTrue(foreign.image().brokers().isEmpty());
        }
        try (Stream<Path> groups = Files.list(dir.resolve(RatisMetadataLog.STORAGE_DIR_NAME))) {
            try (Stream<Path> otherGroups = Files.list(other.resolve(RatisMetadataLog.STORAGE_DIR_NAME))) {
                assertNotEquals(groups.toList().get(0).getFileName(), otherGroups.toList().get(0).getFileName());
            }
        }
    }

    @Test
    void aBrokerOnlyNodeFormattedForAnotherClusterIsRefusedNamingItsClusterId() throws Exception {
        int port = QuorumTestSupport.freePort();
        try (MetadataQuorum voter = new MetadataQuorum(QuorumTestSupport.config(dir, port, 10_000))) {
            voter.start();
            MetadataQuorum foreign = new MetadataQuorum(new QuorumConfig(2, "AnotherClusterIdAAAAAA",
                    Map.of(1, new java.net.InetSocketAddress("127.0.0.1", port)), dir.resolve("listener"), 1, (short) 1, 1,
                    100, 9_000, new java.net.InetSocketAddress("127.0.0.1", 0)));
            try (foreign) {
                java.io.IOException refused = org.junit.jupiter.api.Assertions.assertThrows(java.io.IOException.class,
                        foreign::start);
                assertTrue(refused.getMessage().contains("were formatted for another cluster id, but this node for "
                        + "cluster id AnotherClusterIdAAAAAA"), refused.getMessage());
            }
        }
    }

    @Test
    void bootstrapServersThatNameNoVotersAreAnErrorSayingHowToFormatANewQuorum() throws Exception {
        java.net.InetSocketAddress nobody = new java.net.InetSocketAddress("127.0.0.1", QuorumTestSupport.freePort());
        java.io.IOException e = org.junit.jupiter.api.Assertions.assertThrows(java.io.IOException.class,
                () -> io.runnel.metadata.quorum.VoterDiscovery.voters(QuorumTestSupport.CLUSTER_ID, java.util.List.of(nobody),
                        io.runnel.metadata.quorum.QuorumTransport.plaintext(), java.time.Duration.ofMillis(300)));
        assertTrue(e.getMessage().contains("named the quorum's voters within 300 ms; the controllers of a new quorum are "
                + "formatted with its first voters: `runnel storage format --standalone`"), e.getMessage());
    }

    @Test
    void bootstrapServersNameTheVotersOfTheirClusterOnly() throws Exception {
        int port = QuorumTestSupport.freePort();
        java.net.InetSocketAddress address = new java.net.InetSocketAddress("127.0.0.1", port);
        try (MetadataQuorum voter = new MetadataQuorum(QuorumTestSupport.config(dir, port, 10_000))) {
            voter.start();
            assertEquals(Map.of(1, address), io.runnel.metadata.quorum.VoterDiscovery.voters(
                    QuorumTestSupport.CLUSTER_ID, java.util.List.of(address),
                    io.runnel.metadata.quorum.QuorumTransport.plaintext(), java.time.Duration.ofSeconds(30)));
            java.io.IOException refused = org.junit.jupiter.api.Assertions.assertThrows(java.io.IOException.class,
                    () -> io.runnel.metadata.quorum.VoterDiscovery.voters("AnotherClusterIdAAAAAA", java.util.List.of(address),
                            io.runnel.metadata.quorum.QuorumTransport.plaintext(), java.time.Duration.ofSeconds(30)));
            assertTrue(refused.getMessage().contains("was formatted for another cluster id, but this node for cluster "
                    + "id AnotherClusterIdAAAAAA"), refused.getMessage());
        }
    }
}
