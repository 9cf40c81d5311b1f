package io.runnel.metadata.quorum;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.Optional;
import org.apache.kafka.common.Uuid;
import org.junit.jupiter.api.Test;

class MetadataGroupTest {
    @Test
    void theGroupIdNamesItsClusterId() {
        for (int i = 0; i < 100; i++) {
            String clusterId = Uuid.randomUuid().toString();
            assertEquals(Optional.of(clusterId), MetadataGroup.clusterId(MetadataGroup.id(clusterId)));
        }
    }

    @Test
    void clusterIdsThatAreNotCanonicalUuidsStillGetDistinctGroupsButAreNotNamed() {
        assertEquals(MetadataGroup.id("not a uuid"), MetadataGroup.id("not a uuid"));
        assertNotEquals(MetadataGroup.id("not a uuid"), MetadataGroup.id("another"));
        // Kafka's documented example id: its last character carries bits past the 128 of a UUID.
        String example = "MkU3OEVBNTcwNTJENDM2Qk";
        assertNotEquals(MetadataGroup.id(example), MetadataGroup.id(Uuid.fromString(example).toString()));
        assertEquals(Optional.empty(), MetadataGroup.clusterId(MetadataGroup.id(example)));
    }
}
