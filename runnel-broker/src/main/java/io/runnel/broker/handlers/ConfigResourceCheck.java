package io.runnel.broker.handlers;

import io.runnel.broker.config.TopicConfigResolver;
import io.runnel.metadata.config.ConnectionOverrides;
import io.runnel.metadata.config.DynamicBrokerConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.ConfigResource;

import java.net.InetAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What AlterConfigs and IncrementalAlterConfigs refuse before asking the controller, as Kafka's brokers do: a
 * resource named twice in one request, a broker resource that is neither this broker nor the cluster default
 * (the Admin client sends a broker's configs to that broker), and a thread count changed by more than Kafka allows
 * from this broker's current value (at most halved or doubled at a time), and max.connections.per.ip set to 0 with
 * no max.connections.per.ip.overrides in force.
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
        String perIpRefusal = perIpLimitRefusal(newValues);
        return perIpRefusal == null ? null : "Invalid config value for resource " + resource + ": " + perIpRefusal;
    }

    /**
     * Kafka's start-up rule for max.connections.per.ip=0 applied to the values this change leaves in force; values
     * that do not parse are left to the controller, which reports them as INVALID_CONFIG.
     */
    private String perIpLimitRefusal(Map<String, String> newValues) {
        String perIpKey = DynamicBrokerConfigDef.MAX_CONNECTIONS_PER_IP;
        String overridesKey = DynamicBrokerConfigDef.MAX_CONNECTIONS_PER_IP_OVERRIDES;
        if (!newValues.containsKey(perIpKey) && !newValues.containsKey(overridesKey)) {
            return null;
        }
        int perIp;
        Map<InetAddress, Integer> overrides;
        try {
            perIp = Integer.parseInt(valueInForce(newValues, perIpKey).trim());
            overrides = ConnectionOverrides.parse(valueInForce(newValues, overridesKey));
        } catch (NumberFormatException | ConfigException malformed) {
            return null;
        }
        try {
            ConnectionOverrides.checkPerIpLimit(perIp, overrides);
            return null;
        } catch (ConfigException e) {
            return e.getMessage();
        }
    }

    private String valueInForce(Map<String, String> newValues, String key) {
        String value = newValues.get(key);
        return value != null ? value : configs.resolveBroker(key).value();
    }

    private static Optional<Integer> intValue(String value) {
        try {
            return value == null ? Optional.empty() : Optional.of(Integer.parseInt(value.trim()));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
