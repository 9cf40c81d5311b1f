package io.runnel.broker.handlers;

import io.runnel.broker.config.TopicConfigResolver;
import io.runnel.metadata.config.DynamicBrokerConfigDef;
import org.apache.kafka.common.config.ConfigResource;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What AlterConfigs and IncrementalAlterConfigs refuse before asking the controller, as Kafka's brokers do: a
 * resource named twice in one request, a broker resource that is neither this broker nor the cluster default
 * (the Admin client sends a broker's configs to that broker), and a thread count changed by more than Kafka allows
 * from this broker's current value (at most halved or doubled at a time).
 */
final class ConfigResourceCheck {
    private final int brokerId;
    private final TopicConfigResolver configs;
    private final Map<ConfigResource, Integer> occurrences = new HashMap<>();

    ConfigResourceCheck(int brokerId, TopicConfigResolver configs, List<ConfigResource> requested) {
        this.brokerId = brokerId;
        this.configs = configs;
        requested.forEach(r -> occurrences.merge(r, 1, Integer::sum));
    }

    /**
     * Why the resource is refused with INVALID_REQUEST; null if the controller should decide.
     * {@code newValues} are the values the request sets.
     */
    String refusal(ConfigResource resource, Map<String, String> newValues) {
        if (occurrences.getOrDefault(resource, 0) > 1) {
            return "Error due to duplicate resources: " + resource;
        }
        if (resource.type() != ConfigResource.Type.BROKER) {
            return null;
        }
        if (!resource.name().isEmpty() && !resource.name().equals(Integer.toString(brokerId))) {
            return "Unexpected broker id, expected " + brokerId + ", but received " + resource.name();
        }
        for (Map.Entry<String, String> e : newValues.entrySet()) {
            TopicConfigResolver.Entry current = configs.resolveBroker(e.getKey());
            if (resource.name().isEmpty() && current.source() == TopicConfigResolver.Source.DYNAMIC_BROKER_CONFIG) {
                continue; // this broker's own value wins over the cluster default
            }
            Optional<String> refused = intValue(current.value()).flatMap(currentValue ->
                    DynamicBrokerConfigDef.threadCountChangeRefusal(e.getKey(), currentValue, e.getValue()));
            if (refused.isPresent()) {
                return "Invalid config value for resource " + resource + ": " + refused.get();
            }
        }
        return null;
    }

    private static Optional<Integer> intValue(String value) {
        try {
            return value == null ? Optional.empty() : Optional.of(Integer.parseInt(value.trim()));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
