package io.runnel.metadata;

import java.util.List;
import org.apache.kafka.common.Uuid;

/**
 * A registered broker; {@code rack} is null when the broker has none. {@code brokerEpoch} identifies this
 * registration (a newer registration of the same node has a larger one); {@code incarnationId} identifies the
 * broker process that registered. A fenced broker leads nothing and is in no ISR it could leave.
 */
public record BrokerRegistration(int nodeId, List<Endpoint> endpoints, String rack, boolean fenced, long brokerEpoch,
                                 Uuid incarnationId) {
    public BrokerRegistration {
        endpoints = List.copyOf(endpoints);
    }

    public BrokerRegistration withFenced(boolean fenced) {
        return new BrokerRegistration(nodeId, endpoints, rack, fenced, brokerEpoch, incarnationId);
    }
}
