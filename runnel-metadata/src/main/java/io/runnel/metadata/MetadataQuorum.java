package io.runnel.metadata;

import io.runnel.metadata.controller.QuorumController;
import io.runnel.metadata.quorum.ForwardingController;
import io.runnel.metadata.quorum.RatisMetadataLog;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Map;
import java.time.Duration;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.VoterNotFoundException;
import org.apache.kafka.common.message.DescribeQuorumResponseData;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * This node's member of the metadata quorum: the Ratis voter applying the metadata log to the image, the
 * controller that writes to it while this node leads (fencing brokers whose sessions expire), and the
 * forwarding of every controller operation to whichever node leads.
 */
public final class MetadataQuorum implements AutoCloseable {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final long OPERATION_TIMEOUT_MS = 30_000;

    private final int nodeId;
    private final RatisMetadataLog log;
    private final QuorumController controller;
    private final ForwardingController forwarding;
    private final long sessionCheckIntervalMs;
    private final ScheduledExecutorService checks = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "runnel-controller-checks");
        t.setDaemon(true);
        return t;
    });

    public MetadataQuorum(QuorumConfig config) {
        this.nodeId = config.nodeId();
        this.log = new RatisMetadataLog(config);
        this.controller = new QuorumController(log, config.defaultNumPartitions(), config.defaultReplicationFactor(),
                config.defaultMinInsyncReplicas(), OPERATION_TIMEOUT_MS, config.brokerSessionTimeoutMs(), System::nanoTime);
        this.forwarding = new ForwardingController(log, controller, OPERATION_TIMEOUT_MS);
        this.sessionCheckIntervalMs = Math.max(10, config.brokerSessionTimeoutMs() / 8);
    }

    /** Formats new storage or recovers existing, then waits (bounded) until a leader exists and the log is replayed. */
    public void start() throws IOException {
        try {
            log.start(START_TIMEOUT);
        } catch (IOException e) {
            checks.shutdownNow();
            controller.close();
            throw e;
        }
        // Every member checks; only the active controller's check succeeds and writes the fencing.
        checks.scheduleWithFixedDelay(controller::fenceExpiredBroker, sessionCheckIntervalMs,
                sessionCheckIntervalMs, TimeUnit.MILLISECONDS);
    }

    /**
     * Every {@code interval}, the active controller moves leaderships back to preferred replicas that are unfenced
     * ISR members (Kafka's auto.leader.rebalance.enable).
     */
    public void balanceLeadersEvery(Duration interval) {
        checks.scheduleWithFixedDelay(controller::balanceLeaders, interval.toMillis(), interval.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    /** The latest applied image. */
    public MetadataImage image() {
        return log.stateMachine().image();
    }

    /** Registers {@code listener}; it is called at once with (empty, current), then on every applied entry. */
    public void addListener(MetadataListener listener) {
        log.stateMachine().addListener(listener);
    }

    /** The controller: operations run on the active controller wherever they are called. */
    public Controller controller() {
        return forwarding;
    }

    /** Kafka's DescribeQuorum answer for the metadata partition, from the active controller. */
    public CompletableFuture<DescribeQuorumResponseData> describeQuorum() {
        return forwarding.describeQuorum();
    }

    /** The current voters and their controller listeners, by node id. */
    public Map<Integer, InetSocketAddress> voters() {
        return log.voters();
    }

    /**
     * Records in the log that this node follows it from the metadata directory {@code directoryId} (its
     * meta.properties' directory.id), which DescribeQuorum reports and voter changes compare.
     */
    public CompletableFuture<Void> registerDirectory(Uuid directoryId) {
        return forwarding.registerQuorumMember(nodeId, directoryId);
    }

    /**
     * Makes node {@code nodeId}, which follows the log from directory {@code directoryId}, a voter reachable at
     * {@code address} (AddRaftVoter). A node following it from another directory (or not registered yet) fails with
     * TimeoutException, as a KRaft leader times out waiting for a fetch from that node and directory.
     */
    public CompletableFuture<Void> addVoter(int nodeId, Uuid directoryId, InetSocketAddress address, long timeoutMs) {
        Uuid registered = image().quorumDirectories().get(nodeId);
        // An existing voter is refused as a duplicate, whatever directory is named.
        if (!directoryId.equals(registered) && !voters().containsKey(nodeId)) {
            return CompletableFuture.failedFuture(new TimeoutException("Node " + nodeId
                    + (registered == null ? " has not registered a metadata directory"
                    : " follows the metadata log from directory " + registered) + ", not " + directoryId));
        }
        return log.addVoter(nodeId, address, timeoutMs);
    }

    /**
     * Makes voter {@code nodeId} a non-voting follower of the log once it restarts (RemoveRaftVoter). Naming
     * another directory than the voter registered fails with VoterNotFoundException, as in KRaft, where a voter is
     * its node id and directory id; a voter that never registered one (it has not run since an upgrade) matches any.
     */
    public CompletableFuture<Void> removeVoter(int nodeId, Uuid directoryId, long timeoutMs) {
        Uuid registered = image().quorumDirectories().get(nodeId);
        if (registered != null && !registered.equals(directoryId)) {
            return CompletableFuture.failedFuture(new VoterNotFoundException("Node " + nodeId
                    + " votes from metadata directory " + registered + ", not " + directoryId));
        }
        return log.removeVoter(nodeId, timeoutMs);
    }

    /** This member's view of the quorum, for Kafka's raft-metrics. */
    public RaftStatus raftStatus() {
        return log.status();
    }

    /** How long this member's recent elections took, for Kafka's raft-metrics election-latency. */
    public ElectionLatency electionLatency() {
        return log.electionLatency();
    }

    /** Tells {@code events} of every commit of this member's writes. */
    public void observeRaft(RaftEvents events) {
        log.observe(events);
    }

    public boolean isActiveController() {
        return log.isLeader();
    }

    /** The node id of the active controller as this node knows it, or -1 during an election. */
    public int activeControllerId() {
        return log.leaderNodeId();
    }

    @Override
    public void close() {
        checks.shutdownNow();
        controller.close();
        log.close();
    }
}
