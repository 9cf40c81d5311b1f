package io.runnel.broker.config;

import io.runnel.storage.MetaProperties;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.InconsistentClusterIdException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StorageFormatterTest {
    @TempDir
    Path dir;

    private BrokerConfig config(int nodeId, String logDirs, String metadataDir) {
        return BrokerConfig.parse(Map.of(
                "node.id", Integer.toString(nodeId),
                "process.roles", "broker,controller",
                "listeners", "PLAINTEXT://localhost:9092,CONTROLLER://localhost:9093",
                "controller.listener.names", "CONTROLLER",
                "controller.quorum.voters", nodeId + "@localhost:9093",
                "log.dirs", logDirs,
                "metadata.log.dir", metadataDir));
    }

    @Test
    void formatsEveryLogDirAndTheMetadataDir() {
        Path a = dir.resolve("a");
        Path b = dir.resolve("b");
        Path meta = dir.resolve("meta");
        BrokerConfig c = config(3, a + "," + b, meta.toString());
        assertFalse(StorageFormatter.isFormatted(c));
        String clusterId = Uuid.randomUuid().toString();

        assertEquals(List.of(a, b, meta), StorageFormatter.format(c, clusterId, false));

        assertTrue(StorageFormatter.isFormatted(c));
        for (Path d : List.of(a, b, meta)) {
            MetaProperties props = MetaProperties.read(d).orElseThrow();
            assertEquals(clusterId, props.clusterId());
            assertEquals(3, props.nodeId());
        }
        assertNotEquals(MetaProperties.read(a).orElseThrow().directoryId(), MetaProperties.read(b).orElseThrow().directoryId());
        assertEquals(Optional.of(clusterId), StorageFormatter.clusterId(c));
    }

    @Test
    void formattingAgainWithTheSameIdFormatsOnlyNewDirs() {
        Path a = dir.resolve("a");
        String clusterId = Uuid.randomUuid().toString();
        StorageFormatter.format(config(1, a.toString(), a.toString()), clusterId, false);
        Uuid directoryId = MetaProperties.read(a).orElseThrow().directoryId();
        Path b = dir.resolve("b");

        assertEquals(List.of(b), StorageFormatter.format(config(1, a + "," + b, a.toString()), clusterId, false));
        assertEquals(directoryId, MetaProperties.read(a).orElseThrow().directoryId());
    }

    @Test
    void anotherClusterIdIsRejectedUnlessIgnored() {
        Path a = dir.resolve("a");
        Path b = dir.resolve("b");
        String first = Uuid.randomUuid().toString();
        StorageFormatter.format(config(1, a.toString(), a.toString()), first, false);
        BrokerConfig both = config(1, a + "," + b, a.toString());
        String second = Uuid.randomUuid().toString();

        InconsistentClusterIdException e = assertThrows(InconsistentClusterIdException.class,
                () -> StorageFormatter.format(both, second, false));
        assertTrue(e.getMessage().contains(a.toString()) && e.getMessage().contains(first), e.getMessage());
        assertFalse(StorageFormatter.isFormatted(both), "nothing is written when a directory conflicts");

        assertEquals(List.of(b), StorageFormatter.format(both, second, true));
        assertEquals(first, MetaProperties.read(a).orElseThrow().clusterId());
        assertEquals(second, MetaProperties.read(b).orElseThrow().clusterId());
    }

    @Test
    void anInvalidClusterIdIsRejected() {
        BrokerConfig c = config(1, dir.toString(), dir.toString());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> StorageFormatter.format(c, "not a uuid", false));
        assertTrue(e.getMessage().contains("not a uuid"));
        assertFalse(StorageFormatter.isFormatted(c));
    }

    @Test
    void aNodeStartsOnlyOnStorageFormattedForItWithOneClusterId() {
        Path a = dir.resolve("a");
        Path b = dir.resolve("b");
        BrokerConfig c = config(2, a + "," + b, a.toString());
        IllegalStateException unformatted = assertThrows(IllegalStateException.class, () -> StorageFormatter.checkFormatted(c));
        assertTrue(unformatted.getMessage().contains("runnel storage format"), unformatted.getMessage());

        String clusterId = Uuid.randomUuid().toString();
        StorageFormatter.format(c, clusterId, false);
        assertEquals(clusterId, StorageFormatter.checkFormatted(c));

        IllegalStateException otherNode = assertThrows(IllegalStateException.class,
                () -> StorageFormatter.checkFormatted(config(5, a + "," + b, a.toString())));
        assertTrue(otherNode.getMessage().contains("node.id 2"), otherNode.getMessage());

        MetaProperties.write(b, Uuid.randomUuid().toString(), 2, Uuid.randomUuid());
        assertThrows(InconsistentClusterIdException.class, () -> StorageFormatter.checkFormatted(c));
    }
}
