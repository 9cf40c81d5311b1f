package io.runnel.metadata.record;

import io.runnel.metadata.Endpoint;
import java.util.List;
import org.apache.kafka.common.Uuid;

/** A broker registered (or re-registered: the newest registration replaces the previous one). */
public record RegisterBrokerRecord(int nodeId, List<Endpoint> endpoints, String rack, boolean fenced, long brokerEpoch,
                                   Uuid incarnationId) implements MetadataRecord {
    public RegisterBrokerRecord {
        endpoints = List.copyOf(endpoints);
    }
}
