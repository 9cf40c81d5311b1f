package io.runnel.metadata;

import java.util.List;

/** A registered broker; {@code rack} is null when the broker has none. */
public record BrokerRegistration(int nodeId, List<Endpoint> endpoints, String rack, boolean fenced) {
    public BrokerRegistration {
        endpoints = List.copyOf(endpoints);
    }
}
