package io.runnel.broker.handlers;

import org.apache.kafka.common.config.ConfigResource;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What AlterConfigs and IncrementalAlterConfigs refuse before asking the controller, as Kafka's brokers do: a
 * resource named twice in one request, and a broker resource that is neither this broker nor the cluster default
 * (the Admin client sends a broker's configs to that broker).
 */
final class ConfigResourceCheck {
    private final int brokerId;
    private final Map<ConfigResource, Integer> occurrences = new HashMap<>();

    ConfigResourceCheck(int brokerId, List<ConfigResource> requested) {
        this.brokerId = brokerId;
        requested.forEach(r -> occurrences.merge(r, 1, Integer::sum));
    }

    /** Why the resource is refused with INVALID_REQUEST; null if the controller should decide. */
    String refusal(ConfigResource resource) {
        if (occurrences.getOrDefault(resource, 0) > 1) {
            return "Error due to duplicate resources: " + resource;
        }
        if (resource.type() == ConfigResource.Type.BROKER && !resource.name().isEmpty()
                && !resource.name().equals(Integer.toString(brokerId))) {
            return "Unexpected broker id, expected " + brokerId + ", but received " + resource.name();
        }
        return null;
    }
}
