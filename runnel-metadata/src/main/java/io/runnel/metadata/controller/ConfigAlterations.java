package io.runnel.metadata.controller;

import io.runnel.metadata.ConfigChange;
import io.runnel.metadata.ConfigResult;
import io.runnel.metadata.MetadataImage;
import io.runnel.metadata.config.DynamicBrokerConfigDef;
import io.runnel.metadata.config.TopicConfigDef;
import io.runnel.metadata.record.ConfigRecord;
import io.runnel.metadata.record.MetadataRecord;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.protocol.Errors;

/**
 * Config changes on one topic or broker resource, with Kafka's semantics and errors: the resource's new overrides
 * are computed from the current ones, validated as a whole, and become ConfigRecords for the keys that change.
 */
final class ConfigAlterations {
    private ConfigAlterations() {
    }

    static ConfigResult incremental(MetadataImage image, ConfigResource resource, List<ConfigChange> changes,
                                    List<MetadataRecord> records) {
        ConfigResult invalid = invalidResource(image, resource);
        if (invalid != null) {
            return invalid;
        }
        Set<String> keys = new HashSet<>();
        for (ConfigChange change : changes) {
            if (!keys.add(change.key())) {
                return failure(resource, Errors.INVALID_REQUEST, "Error due to duplicate config keys");
            }
        }
        Map<String, String> overrides = new HashMap<>(overrides(image, resource));
        for (ConfigChange change : changes) {
            String key = change.key();
            if (change.op() == null) {
                return failure(resource, Errors.INVALID_REQUEST, "Unknown alter config operation for " + key);
            }
            switch (change.op()) {
                case SET -> overrides.put(key, change.value());
                case DELETE -> overrides.remove(key);
                case APPEND, SUBTRACT -> {
                    if (!isList(resource, key)) {
                        return failure(resource, Errors.INVALID_CONFIG, "Can't " + change.op() + " to key " + key
                                + " because its type is not LIST.");
                    }
                    String current = overrides.containsKey(key) ? overrides.get(key) : defaultValue(resource, key);
                    overrides.put(key, String.join(",", combined(current, change)));
                }
                default -> throw new IllegalStateException("Unhandled operation " + change.op());
            }
        }
        return replaceWith(image, resource, overrides, records);
    }

    static ConfigResult replace(MetadataImage image, ConfigResource resource, Map<String, String> configs,
                                List<MetadataRecord> records) {
        ConfigResult invalid = invalidResource(image, resource);
        return invalid != null ? invalid : replaceWith(image, resource, configs, records);
    }

    private static ConfigResult replaceWith(MetadataImage image, ConfigResource resource, Map<String, String> wanted,
                                            List<MetadataRecord> records) {
        Optional<? extends ApiException> error = resource.type() == ConfigResource.Type.TOPIC
                ? TopicConfigDef.validate(wanted) : DynamicBrokerConfigDef.validate(wanted);
        if (error.isPresent()) {
            return failure(resource, Errors.forException(error.get()), error.get().getMessage());
        }
        Map<String, String> current = overrides(image, resource);
        Set<String> keys = new TreeSet<>(current.keySet());
        keys.addAll(wanted.keySet());
        for (String key : keys) {
            String value = wanted.get(key);
            if (value == null ? current.containsKey(key) : !value.equals(current.get(key))) {
                records.add(new ConfigRecord(resource.type(), resource.name(), key, value));
            }
        }
        return ConfigResult.success(resource);
    }

    /** APPEND adds each comma-separated value not yet present; SUBTRACT removes each one. */
    private static List<String> combined(String current, ConfigChange change) {
        List<String> values = new ArrayList<>(listItems(current));
        for (String operand : listItems(change.value())) {
            if (change.op() == AlterConfigOp.OpType.APPEND) {
                if (!values.contains(operand)) {
                    values.add(operand);
                }
            } else {
                values.removeIf(operand::equals);
            }
        }
        return values;
    }

    private static List<String> listItems(String value) {
        return value == null ? List.of()
                : Arrays.stream(value.split(",")).map(String::trim).filter(v -> !v.isEmpty()).toList();
    }

    private static ConfigResult invalidResource(MetadataImage image, ConfigResource resource) {
        if (resource.type() == ConfigResource.Type.TOPIC) {
            return image.topicsByName().containsKey(resource.name()) ? null : failure(resource,
                    Errors.UNKNOWN_TOPIC_OR_PARTITION, "The topic '" + resource.name() + "' does not exist.");
        }
        if (resource.type() == ConfigResource.Type.BROKER) {
            return resource.name().isEmpty() || resource.name().matches("\\d{1,9}") ? null
                    : failure(resource, Errors.INVALID_REQUEST, "Invalid broker name " + resource.name());
        }
        return failure(resource, Errors.INVALID_REQUEST, "Unsupported resource type " + resource.type());
    }

    private static Map<String, String> overrides(MetadataImage image, ConfigResource resource) {
        return resource.type() == ConfigResource.Type.TOPIC
                ? image.topicConfigs(resource.name()) : image.brokerConfigs(resource.name());
    }

    private static boolean isList(ConfigResource resource, String key) {
        return resource.type() == ConfigResource.Type.TOPIC
                ? TopicConfigDef.type(key) == ConfigDef.Type.LIST : DynamicBrokerConfigDef.isList(key);
    }

    private static String defaultValue(ConfigResource resource, String key) {
        return resource.type() == ConfigResource.Type.TOPIC
                ? TopicConfigDef.defaultValue(key) : DynamicBrokerConfigDef.defaultValue(key);
    }

    private static ConfigResult failure(ConfigResource resource, Errors error, String message) {
        return new ConfigResult(resource, error, message);
    }
}
