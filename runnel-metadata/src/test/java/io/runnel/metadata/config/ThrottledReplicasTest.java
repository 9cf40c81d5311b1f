package io.runnel.metadata.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ThrottledReplicasTest {
    @Test
    void aListNamesPartitionBrokerPairsAndTheWildcardEveryReplica() {
        ThrottledReplicas listed = ThrottledReplicas.parse(ThrottledReplicas.LEADER_CONFIG, "0:1, 0:2,3:1");
        assertTrue(listed.contains(0, 2));
        assertTrue(listed.contains(3, 1));
        assertFalse(listed.contains(3, 2));
        assertTrue(ThrottledReplicas.parse(ThrottledReplicas.LEADER_CONFIG, "*").contains(7, 9));
        assertFalse(ThrottledReplicas.parse(ThrottledReplicas.LEADER_CONFIG, "").contains(0, 1));
    }

    @Test
    void topicConfigsRefuseOtherValuesNamingTheKeyAndTheFormat() {
        assertEquals("Invalid value 0-1 for configuration follower.replication.throttled.replicas: "
                        + "follower.replication.throttled.replicas must be the literal '*' or a list of replicas in the "
                        + "following format: [partitionId]:[brokerId],[partitionId]:[brokerId],...",
                TopicConfigDef.validate(Map.of(ThrottledReplicas.FOLLOWER_CONFIG, "0-1")).orElseThrow().getMessage());
        assertTrue(TopicConfigDef.validate(Map.of(ThrottledReplicas.LEADER_CONFIG, "0:1,1:2")).isEmpty());
        assertTrue(DynamicBrokerConfigDef.validate(Map.of(DynamicBrokerConfigDef.LEADER_REPLICATION_THROTTLED_RATE,
                "-1")).isPresent(), "a rate is at least 0");
        assertTrue(DynamicBrokerConfigDef.validate(Map.of(DynamicBrokerConfigDef.FOLLOWER_REPLICATION_THROTTLED_RATE,
                "1048576")).isEmpty());
    }
}
