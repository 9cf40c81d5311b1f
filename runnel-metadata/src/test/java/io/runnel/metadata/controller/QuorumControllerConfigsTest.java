package io.runnel.metadata.controller;

import static org.apache.kafka.clients.admin.AlterConfigOp.OpType.APPEND;
import static org.apache.kafka.clients.admin.AlterConfigOp.OpType.DELETE;
import static org.apache.kafka.clients.admin.AlterConfigOp.OpType.SET;
import static org.apache.kafka.clients.admin.AlterConfigOp.OpType.SUBTRACT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.runnel.metadata.BrokerRegistrations;
import io.runnel.metadata.ConfigChange;
import io.runnel.metadata.ConfigResult;
import io.runnel.metadata.CreateTopicSpec;
import io.runnel.metadata.Endpoint;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class QuorumControllerConfigsTest {
    private static final ConfigResource TOPIC = new ConfigResource(ConfigResource.Type.TOPIC, "orders");
    private static final ConfigResource BROKER = new ConfigResource(ConfigResource.Type.BROKER, "1");
    private static final ConfigResource CLUSTER_DEFAULT = new ConfigResource(ConfigResource.Type.BROKER, "");

    private final InMemoryMetadataLog log = new InMemoryMetadataLog();
    private final QuorumController controller = new QuorumController(log, 1, (short) 1, 1, 10_000, 9_000, System::nanoTime);

    @BeforeEach
    void createTopic() throws Exception {
        BrokerRegistrations.registerUnfenced(controller, "test-cluster", 1, null);
        controller.createTopics(List.of(new CreateTopicSpec("orders", 1, (short) 1, Map.of(),
                Map.of("retention.ms", "1000"))), false).get(10, TimeUnit.SECONDS);
    }

    @AfterEach
    void close() {
        controller.close();
    }

    private ConfigResult alter(ConfigResource resource, ConfigChange... changes) throws Exception {
        return controller.incrementalAlterConfigs(Map.of(resource, List.of(changes)), false)
                .get(10, TimeUnit.SECONDS).get(0);
    }

    private ConfigResult replace(ConfigResource resource, Map<String, String> configs, boolean validateOnly)
            throws Exception {
        return controller.replaceConfigs(Map.of(resource, configs), validateOnly).get(10, TimeUnit.SECONDS).get(0);
    }

    private Map<String, String> topicConfigs() {
        return log.image().topicConfigs("orders");
    }

    @Test
    void setAndDeleteChangeOnlyTheNamedKeys() throws Exception {
        assertEquals(Errors.NONE, alter(TOPIC, new ConfigChange("max.message.bytes", SET, "2000"),
                new ConfigChange("retention.ms", DELETE, null)).error());
        assertEquals(Map.of("max.message.bytes", "2000"), topicConfigs());
    }

    @Test
    void appendStartsFromTheDefaultAndSubtractRemoves() throws Exception {
        assertEquals(Errors.NONE, alter(TOPIC, new ConfigChange("cleanup.policy", APPEND, "compact")).error());
        assertEquals("delete,compact", topicConfigs().get("cleanup.policy"));
        assertEquals(Errors.NONE, alter(TOPIC, new ConfigChange("cleanup.policy", APPEND, "compact")).error());
        assertEquals("delete,compact", topicConfigs().get("cleanup.policy"), "APPEND adds only missing values");
        assertEquals(Errors.NONE, alter(TOPIC, new ConfigChange("cleanup.policy", SUBTRACT, "delete")).error());
        assertEquals("compact", topicConfigs().get("cleanup.policy"));
    }

    @Test
    void appendToANonListKeyIsInvalidConfig() throws Exception {
        ConfigResult result = alter(TOPIC, new ConfigChange("retention.ms", APPEND, "5"));
        assertEquals(Errors.INVALID_CONFIG, result.error());
        assertEquals("Can't APPEND to key retention.ms because its type is not LIST.", result.message());
    }

    @Test
    void validationErrorsNameTheKeyAndWriteNothing() throws Exception {
        int entries = log.entries.size();
        ConfigResult badValue = alter(TOPIC, new ConfigChange("segment.bytes", SET, "10"));
        assertEquals(Errors.INVALID_CONFIG, badValue.error());
        assertEquals("Invalid value 10 for configuration segment.bytes: Value must be at least 1048576", badValue.message());
        ConfigResult unknownKey = alter(TOPIC, new ConfigChange("retention.millis", SET, "10"));
        assertEquals(Errors.INVALID_CONFIG, unknownKey.error());
        assertEquals("Unknown topic config name: retention.millis", unknownKey.message());
        ConfigResult duplicate = alter(TOPIC, new ConfigChange("retention.ms", SET, "1"),
                new ConfigChange("retention.ms", DELETE, null));
        assertEquals(Errors.INVALID_REQUEST, duplicate.error());
        assertEquals(Errors.UNKNOWN_TOPIC_OR_PARTITION,
                alter(new ConfigResource(ConfigResource.Type.TOPIC, "missing"), new ConfigChange("retention.ms", SET, "1")).error());
        assertEquals(entries, log.entries.size());
        assertEquals(Map.of("retention.ms", "1000"), topicConfigs());
    }

    @Test
    void oneFailingResourceDoesNotStopTheOthers() throws Exception {
        Map<ConfigResource, List<ConfigChange>> changes = new LinkedHashMap<>();
        changes.put(TOPIC, List.of(new ConfigChange("segment.bytes", SET, "10")));
        changes.put(CLUSTER_DEFAULT, List.of(new ConfigChange("log.retention.ms", SET, "5000")));
        List<ConfigResult> results = controller.incrementalAlterConfigs(changes, false).get(10, TimeUnit.SECONDS);
        assertEquals(List.of(Errors.INVALID_CONFIG, Errors.NONE), results.stream().map(ConfigResult::error).toList());
        assertEquals(Map.of("log.retention.ms", "5000"), log.image().brokerConfigs(""));
        assertEquals(Map.of("retention.ms", "1000"), topicConfigs());
    }

    @Test
    void brokerAndClusterDefaultConfigsAreSeparate() throws Exception {
        assertEquals(Errors.NONE, alter(BROKER, new ConfigChange("log.segment.bytes", SET, "2097152")).error());
        assertEquals(Errors.NONE, alter(CLUSTER_DEFAULT, new ConfigChange("message.max.bytes", SET, "5000")).error());
        assertEquals(Map.of("log.segment.bytes", "2097152"), log.image().brokerConfigs("1"));
        assertEquals(Map.of("message.max.bytes", "5000"), log.image().brokerConfigs(""));
        assertEquals(Errors.NONE, alter(CLUSTER_DEFAULT, new ConfigChange("log.cleanup.policy", APPEND, "compact")).error());
        assertEquals("delete,compact", log.image().brokerConfigs("").get("log.cleanup.policy"));
    }

    @Test
    void brokerKeysThatCannotChangeAtRunTimeAreRefused() throws Exception {
        ConfigResult readOnly = alter(BROKER, new ConfigChange("log.dirs", SET, "/tmp/x"));
        assertEquals(Errors.INVALID_REQUEST, readOnly.error());
        assertEquals("Cannot update these configs dynamically: Set(log.dirs)", readOnly.message());
        assertEquals(Errors.INVALID_REQUEST, alter(BROKER, new ConfigChange("log.retention.hours", SET, "1")).error());
        ConfigResult badValue = alter(CLUSTER_DEFAULT, new ConfigChange("log.retention.ms", SET, "-5"));
        assertEquals(Errors.INVALID_CONFIG, badValue.error());
        assertTrue(badValue.message().contains("log.retention.ms"), badValue.message());
        assertEquals(Errors.INVALID_REQUEST,
                alter(new ConfigResource(ConfigResource.Type.BROKER, "one"), new ConfigChange("log.retention.ms", SET, "1")).error());
        assertTrue(log.image().brokerConfigs("1").isEmpty());
    }

    @Test
    void legacyAlterReplacesTheWholeSet() throws Exception {
        assertEquals(Errors.NONE, replace(TOPIC, Map.of("segment.ms", "60000", "retention.ms", "2000"), false).error());
        assertEquals(Map.of("segment.ms", "60000", "retention.ms", "2000"), topicConfigs());
        assertEquals(Errors.NONE, replace(TOPIC, Map.of("cleanup.policy", "compact"), false).error());
        assertEquals(Map.of("cleanup.policy", "compact"), topicConfigs());
        assertEquals(Errors.INVALID_CONFIG, replace(TOPIC, Map.of("min.cleanable.dirty.ratio", "2"), false).error());
        assertEquals(Map.of("cleanup.policy", "compact"), topicConfigs());
    }

    @Test
    void validateOnlyWritesNothing() throws Exception {
        int entries = log.entries.size();
        assertEquals(Errors.NONE, replace(TOPIC, Map.of("retention.ms", "5"), true).error());
        assertEquals(Errors.NONE, controller.incrementalAlterConfigs(
                Map.of(BROKER, List.of(new ConfigChange("log.retention.ms", SET, "5"))), true)
                .get(10, TimeUnit.SECONDS).get(0).error());
        assertEquals(Errors.INVALID_CONFIG, replace(TOPIC, Map.of("retention.ms", "x"), true).error());
        assertEquals(entries, log.entries.size());
        assertEquals(Map.of("retention.ms", "1000"), topicConfigs());
    }
}
