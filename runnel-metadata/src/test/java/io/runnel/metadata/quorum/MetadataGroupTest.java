package io.runnel.metadata.quorum;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import org.apache.kafka.common.Uuid;
import org.junit.jupiter.api.Test;

class MetadataGroupTest {
    @Test
    void theGroupIdNamesItsClusterId() {
        for (int i = 0; i < 100; i++) {
            String clusterId = Uuid.randomUuid().toString();
            assertEquals(clusterId, MetadataGroup.clusterId(MetadataGroup.id(clusterId)));
        }
    }

    @Test
    void clusterIdsThatAreNotUuidsStillGetDistinctGroups() {
        assertEquals(MetadataGroup.id("not a uuid"), MetadataGroup.id("not a uuid"));
        assertNotEquals(MetadataGroup.id("not a uuid"), MetadataGroup.id("another"));
    }
}
