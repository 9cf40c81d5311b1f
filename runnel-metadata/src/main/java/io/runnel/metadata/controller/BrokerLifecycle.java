package io.runnel.metadata.controller;

import io.runnel.metadata.BrokerRegistration;
import io.runnel.metadata.Endpoint;
import io.runnel.metadata.MetadataImage;
import io.runnel.metadata.record.BrokerRegistrationChangeRecord;
import io.runnel.metadata.record.MetadataRecord;
import io.runnel.metadata.record.RegisterBrokerRecord;
import io.runnel.metadata.record.UnregisterBrokerRecord;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.errors.BrokerIdNotRegisteredException;
import org.apache.kafka.common.message.BrokerHeartbeatRequestData;
import org.apache.kafka.common.message.BrokerHeartbeatResponseData;
import org.apache.kafka.common.message.BrokerRegistrationRequestData;
import org.apache.kafka.common.message.BrokerRegistrationResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.security.auth.SecurityProtocol;

/**
 * Registration, heartbeats and fencing as Kafka's controller handles them (KIP-631): a broker registers fenced
 * with a new broker epoch, is unfenced by a heartbeat once it has applied the metadata log up to its
 * registration, is fenced when its session expires or it asks to be, and leaves its leaderships on
 * controlled shutdown.
 */
final class BrokerLifecycle {
    private BrokerLifecycle() {
    }

    /**
     * A registration; a broker known before whose previous broker epoch is not the one it registered with last
     * (it did not record a clean shutdown at that epoch) shut down uncleanly and leaves every ELR (KIP-966).
     */
    static Outcome<BrokerRegistrationResponseData> register(MetadataImage image, EligibleLeaders elr,
                                                            BrokerRegistrationRequestData request,
                                                            BrokerSessions sessions) {
        BrokerRegistrationResponseData response = new BrokerRegistrationResponseData();
        if (request.clusterId() != null && !request.clusterId().equals(image.clusterId())) {
            return Outcome.of(response.setErrorCode(Errors.INCONSISTENT_CLUSTER_ID.code()));
        }
        int id = request.brokerId();
        BrokerRegistration existing = image.brokers().get(id);
        if (existing != null && existing.incarnationId().equals(request.incarnationId())) {
            // A retry of a registration that succeeded.
            sessions.touch(id);
            return Outcome.of(response.setBrokerEpoch(existing.brokerEpoch()));
        }
        if (existing != null && !existing.fenced() && sessions.alive(id)
                && request.previousBrokerEpoch() != existing.brokerEpoch()) {
            return Outcome.of(response.setErrorCode(Errors.DUPLICATE_BROKER_REGISTRATION.code()));
        }
        List<Endpoint> endpoints = new ArrayList<>();
        request.listeners().forEach(l -> endpoints.add(new Endpoint(l.name(), l.host(), l.port(),
                SecurityProtocol.forId(l.securityProtocol()).name)));
        // Each write advances the log, so an epoch above the last applied offset exceeds every earlier epoch.
        long epoch = image.lastAppliedOffset() + 1;
        List<MetadataRecord> records = new ArrayList<>();
        boolean unclean = existing != null && request.previousBrokerEpoch() != existing.brokerEpoch();
        if (unclean || (existing != null && !existing.fenced())) {
            PartitionChanges.removeBroker(image, elr, id, unclean, records);
        }
        records.add(new RegisterBrokerRecord(id, endpoints, request.rack(), true, epoch, request.incarnationId()));
        sessions.touch(id);
        return new Outcome<>(records, response.setBrokerEpoch(epoch));
    }

    static Outcome<BrokerHeartbeatResponseData> heartbeat(MetadataImage image, EligibleLeaders elr,
                                                          BrokerHeartbeatRequestData request, BrokerSessions sessions) {
        BrokerHeartbeatResponseData response = new BrokerHeartbeatResponseData();
        BrokerRegistration broker = image.brokers().get(request.brokerId());
        if (broker == null) {
            return Outcome.of(response.setErrorCode(Errors.BROKER_ID_NOT_REGISTERED.code()).setIsFenced(true));
        }
        if (broker.brokerEpoch() != request.brokerEpoch()) {
            return Outcome.of(response.setErrorCode(Errors.STALE_BROKER_EPOCH.code()).setIsFenced(true));
        }
        sessions.touch(broker.nodeId());
        boolean caughtUp = request.currentMetadataOffset() >= broker.brokerEpoch();
        response.setIsCaughtUp(caughtUp);
        List<MetadataRecord> records = new ArrayList<>();
        if (request.wantShutDown() || request.wantFence()) {
            if (!broker.fenced()) {
                fence(image, elr, broker, records);
            }
            return new Outcome<>(records, response.setIsFenced(true).setShouldShutDown(request.wantShutDown()));
        }
        if (broker.fenced() && caughtUp) {
            records.add(new BrokerRegistrationChangeRecord(broker.nodeId(), broker.brokerEpoch(), false));
            PartitionChanges.electRejoined(image, elr, broker.nodeId(), records);
            return new Outcome<>(records, response.setIsFenced(false));
        }
        return Outcome.of(response.setIsFenced(broker.fenced()));
    }

    /**
     * Kafka's UnregisterBroker: the broker leaves every ISR it can and every leadership, then the cluster. A broker
     * still running registers again with its next heartbeat.
     */
    static Outcome<Void> unregister(MetadataImage image, EligibleLeaders elr, int brokerId) {
        BrokerRegistration broker = image.brokers().get(brokerId);
        if (broker == null) {
            throw new BrokerIdNotRegisteredException("Broker ID " + brokerId + " is not currently registered");
        }
        List<MetadataRecord> records = new ArrayList<>();
        PartitionChanges.removeBroker(image, elr, brokerId, false, records);
        records.add(new UnregisterBrokerRecord(brokerId, broker.brokerEpoch()));
        return new Outcome<>(records, null);
    }

    /** The records fencing {@code broker}: it leaves every ISR it can and every leadership. */
    static void fence(MetadataImage image, EligibleLeaders elr, BrokerRegistration broker,
                      List<MetadataRecord> records) {
        records.add(new BrokerRegistrationChangeRecord(broker.nodeId(), broker.brokerEpoch(), true));
        PartitionChanges.removeBroker(image, elr, broker.nodeId(), false, records);
    }
}
