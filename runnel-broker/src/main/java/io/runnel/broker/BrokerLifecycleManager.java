package io.runnel.broker;

import io.runnel.metadata.Controller;
import io.runnel.metadata.Endpoint;
import io.runnel.metadata.MetadataQuorum;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.BrokerHeartbeatRequestData;
import org.apache.kafka.common.message.BrokerHeartbeatResponseData;
import org.apache.kafka.common.message.BrokerRegistrationRequestData;
import org.apache.kafka.common.message.BrokerRegistrationResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.security.auth.SecurityProtocol;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This broker's side of KIP-631: registers with a fresh incarnation id, heartbeats every
 * {@code broker.heartbeat.interval.ms} with the offset of the metadata it has applied (which unfences it once
 * caught up), registers again if the controller no longer knows its epoch, and on shutdown asks the controller
 * to move its leaderships away before it stops.
 */
final class BrokerLifecycleManager implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(BrokerLifecycleManager.class);

    private final int nodeId;
    private final String clusterId;
    private final String rack;
    private final MetadataQuorum quorum;
    private final long heartbeatIntervalMs;
    private final Uuid incarnationId = Uuid.randomUuid();
    private final CompletableFuture<Void> unfenced = new CompletableFuture<>();
    private final ScheduledExecutorService heartbeats = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "runnel-broker-heartbeat");
        t.setDaemon(true);
        return t;
    });
    private List<Endpoint> endpoints;
    private volatile long brokerEpoch = -1;
    /** The broker epoch this node's last shutdown ended cleanly, -1 if it did not: told at its first registration. */
    private final long previousBrokerEpoch;
    private volatile boolean shuttingDown;

    BrokerLifecycleManager(int nodeId, String clusterId, String rack, MetadataQuorum quorum, long heartbeatIntervalMs,
                           long previousBrokerEpoch) {
        this.nodeId = nodeId;
        this.previousBrokerEpoch = previousBrokerEpoch;
        this.clusterId = clusterId;
        this.rack = rack;
        this.quorum = quorum;
        this.heartbeatIntervalMs = heartbeatIntervalMs;
    }

    /**
     * Registers (retrying while an earlier incarnation's session is still alive), starts heartbeating and waits
     * until the controller unfences this broker.
     */
    void start(List<Endpoint> advertised, long timeoutMs) throws Exception {
        this.endpoints = advertised;
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        register(deadline);
        heartbeats.scheduleWithFixedDelay(this::heartbeat, 0, heartbeatIntervalMs, TimeUnit.MILLISECONDS);
        try {
            unfenced.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            throw new TimeoutException("Broker " + nodeId + " was not unfenced by the controller within "
                    + timeoutMs + " ms");
        }
    }

    private void register(long deadline) throws Exception {
        Controller controller = quorum.controller();
        while (true) {
            BrokerRegistrationResponseData response = controller.registerBroker(registration())
                    .get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            Errors error = Errors.forCode(response.errorCode());
            if (error == Errors.NONE) {
                brokerEpoch = response.brokerEpoch();
                log.info("Broker {} registered with broker epoch {}", nodeId, brokerEpoch);
                return;
            }
            if (error != Errors.DUPLICATE_BROKER_REGISTRATION || System.nanoTime() > deadline) {
                throw error.exception("Broker " + nodeId + " could not register with the controller"
                        + (error == Errors.INCONSISTENT_CLUSTER_ID ? " (this node is formatted for cluster "
                        + clusterId + ", the quorum's is " + quorum.image().clusterId() + ")" : ""));
            }
            // An earlier process with this node id still has a live session: wait for it to expire.
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(heartbeatIntervalMs));
        }
    }

    private BrokerRegistrationRequestData registration() {
        BrokerRegistrationRequestData request = new BrokerRegistrationRequestData().setBrokerId(nodeId)
                .setClusterId(clusterId).setIncarnationId(incarnationId).setRack(rack)
                .setPreviousBrokerEpoch(brokerEpoch >= 0 ? brokerEpoch : previousBrokerEpoch);
        for (Endpoint e : endpoints) {
            request.listeners().add(new BrokerRegistrationRequestData.Listener().setName(e.listenerName())
                    .setHost(e.host()).setPort(e.port())
                    .setSecurityProtocol(SecurityProtocol.forName(e.securityProtocol()).id));
        }
        return request;
    }

    /** One heartbeat, on the heartbeat thread; a failure is logged and the next one tries again. */
    private void heartbeat() {
        try {
            BrokerHeartbeatResponseData response = send(shuttingDown, Math.max(heartbeatIntervalMs * 5, 10_000));
            Errors error = Errors.forCode(response.errorCode());
            if (error == Errors.STALE_BROKER_EPOCH || error == Errors.BROKER_ID_NOT_REGISTERED) {
                log.warn("The controller does not know broker {} at epoch {} ({}): registering again", nodeId,
                        brokerEpoch, error);
                register(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(heartbeatIntervalMs * 5));
            } else if (error == Errors.NONE && !response.isFenced()) {
                unfenced.complete(null);
            }
        } catch (Exception e) {
            log.debug("Heartbeat of broker {} failed: {}", nodeId, e.toString());
        }
    }

    private BrokerHeartbeatResponseData send(boolean wantShutDown, long timeoutMs) throws Exception {
        return quorum.controller().brokerHeartbeat(new BrokerHeartbeatRequestData().setBrokerId(nodeId)
                        .setBrokerEpoch(brokerEpoch).setCurrentMetadataOffset(quorum.image().lastAppliedOffset())
                        .setWantShutDown(wantShutDown))
                .get(Math.max(1, timeoutMs), TimeUnit.MILLISECONDS);
    }

    /** The broker epoch of this process's registration, -1 before it registered. */
    long brokerEpoch() {
        return brokerEpoch;
    }

    /**
     * Controlled shutdown: asks the controller to move this broker's leaderships away and waits (bounded)
     * until it says this broker may stop.
     */
    void controlledShutdown(long timeoutMs) {
        shuttingDown = true;
        if (brokerEpoch < 0) {
            return;
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (System.nanoTime() < deadline) {
            try {
                if (send(true, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())).shouldShutDown()) {
                    log.info("Broker {} completed its controlled shutdown", nodeId);
                    return;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception e) {
                log.debug("Controlled shutdown request of broker {} failed: {}", nodeId, e.toString());
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(Math.min(heartbeatIntervalMs, 200)));
        }
        log.warn("Broker {} stops without a completed controlled shutdown (no answer within {} ms)", nodeId, timeoutMs);
    }

    @Override
    public void close() {
        heartbeats.shutdownNow();
    }
}
