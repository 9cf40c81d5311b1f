package io.runnel.metadata;

import static io.runnel.metadata.QuorumTestSupport.get;
import static io.runnel.metadata.QuorumTestSupport.startSingle;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigPersistenceTest {
    @TempDir
    Path dir;

    @Test
    void alteredConfigsSurviveARestart() throws Exception {
        try (MetadataQuorum quorum = startSingle(dir, 10_000)) {
            BrokerRegistrations.registerUnfenced(quorum.controller(), QuorumTestSupport.CLUSTER_ID, 1, null);
            get(quorum.controller().createTopics(List.of(new CreateTopicSpec("t", 1, (short) 1, Map.of(), Map.of())), false));
            get(quorum.controller().incrementalAlterConfigs(Map.of(
                    new ConfigResource(ConfigResource.Type.TOPIC, "t"),
                    List.of(new ConfigChange("retention.ms", AlterConfigOp.OpType.SET, "1234")),
                    new ConfigResource(ConfigResource.Type.BROKER, ""),
                    List.of(new ConfigChange("log.segment.bytes", AlterConfigOp.OpType.SET, "2097152"))), false));
            get(quorum.controller().replaceConfigs(Map.of(
                    new ConfigResource(ConfigResource.Type.BROKER, "1"), Map.of("message.max.bytes", "4000")), false));
        }
        try (MetadataQuorum quorum = startSingle(dir, 10_000)) {
            MetadataImage image = quorum.image();
            assertEquals(Map.of("retention.ms", "1234"), image.topicConfigs("t"));
            assertEquals(Map.of("log.segment.bytes", "2097152"), image.brokerConfigs(""));
            assertEquals(Map.of("message.max.bytes", "4000"), image.brokerConfigs("1"));
        }
    }
}
