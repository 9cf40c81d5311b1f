package io.runnel.metadata.quorum;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.exceptions.GroupMismatchException;
import org.apache.ratis.retry.RetryPolicies;
import org.apache.ratis.util.TimeDuration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a broker-only node in the metadata group as a non-voting listener peer: reads the leader's configuration
 * and asks the leader to replace exactly that configuration with one that also lists this node
 * ({@code setConfiguration} in COMPARE_AND_SET mode; nodes joining at the same time each retry until theirs
 * applies), then checks every few seconds that it is still listed (as a listener, or as a voter once AddRaftVoter
 * made it one). Not ADD mode: Ratis 3.3.0 merges the current
 * listeners into an ADD request's new configuration only to validate it, and stages the request's own listener
 * list, so each listener that joins drops the ones before it.
 */
final class ListenerMembership implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ListenerMembership.class);
    private static final long RETRY_MS = 200;
    private static final long CHECK_INTERVAL_MS = 3_000;

    private final QuorumTransport transport;
    private final RaftClient admin;
    private final RaftGroup voters;
    private final RaftPeer self;
    private final String clusterId;
    private final ScheduledExecutorService checks = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "runnel-metadata-listener");
        t.setDaemon(true);
        return t;
    });

    ListenerMembership(QuorumTransport transport, RaftProperties properties, RaftGroup voters, RaftPeer self,
                       String clusterId) {
        this.transport = transport;
        this.voters = voters;
        this.self = self;
        this.clusterId = clusterId;
        this.admin = transport.client(properties, voters)
                .setRetryPolicy(RetryPolicies.retryUpToMaximumCountWithFixedSleep(10,
                        TimeDuration.valueOf(RETRY_MS, TimeUnit.MILLISECONDS)))
                .build();
    }

    /**
     * Adds this node until the leader lists it as a listener, or fails once {@code deadlineNanos} passes; fails at
     * once when the voters run no metadata group of this node's cluster id.
     */
    void join(long deadlineNanos) throws TimeoutException, IOException {
        while (true) {
            String failure;
            try {
                failure = addSelf();
            } catch (IOException | RuntimeException e) {
                if (causedBy(e, GroupMismatchException.class)) {
                    throw new IOException("The controller quorum voters " + voters.getPeers() + " were formatted for "
                            + foreignClusterIds() + ", but this node for cluster id " + clusterId
                            + " (meta.properties)", e);
                }
                failure = e.toString();
            }
            if (failure == null) {
                LOG.info("Node {} follows the metadata quorum as a listener at {}", self.getId(), self.getAddress());
                return;
            }
            if (System.nanoTime() > deadlineNanos) {
                throw new TimeoutException("The metadata quorum " + voters.getPeers() + " did not add " + self.getId()
                        + " as a listener: " + failure);
            }
            LOG.debug("Adding {} as a listener: {}; retrying", self.getId(), failure);
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(RETRY_MS));
        }
    }

    /** Checks every few seconds that the leader still lists this node, adding it again when it does not. */
    void keep() {
        checks.scheduleWithFixedDelay(() -> {
            try {
                if (!listed()) {
                    LOG.warn("The metadata quorum's configuration lost listener {}: adding it again", self.getId());
                    join(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(CHECK_INTERVAL_MS));
                }
            } catch (IOException | TimeoutException | RuntimeException e) {
                LOG.debug("Checking listener {} failed: {}", self.getId(), e.toString());
            }
        }, CHECK_INTERVAL_MS, CHECK_INTERVAL_MS, TimeUnit.MILLISECONDS);
    }

    /** The cluster ids of the voters' groups as they name them, for the error that refuses this node. */
    private String foreignClusterIds() {
        Set<String> ids = new TreeSet<>();
        for (RaftPeer voter : voters.getPeers()) {
            MetadataGroup.foreignClusterId(transport, voters, voter).ifPresent(ids::add);
        }
        return ids.isEmpty() ? "another cluster id" : String.join(", ", ids);
    }

    /** One attempt to list this node in the leader's configuration; null once it is listed, else why not. */
    private String addSelf() throws IOException {
        LeaderConfiguration conf = LeaderConfiguration.read(admin, voters.getGroupId());
        if (conf == null) {
            return "no leader";
        }
        if (listed(conf)) {
            return null;
        }
        if (conf.changing()) {
            return "a configuration change is in progress";
        }
        List<RaftPeer> withSelf = new ArrayList<>(conf.listeners().stream()
                .filter(p -> !p.getId().equals(self.getId())).toList());
        withSelf.add(self);
        return conf.replace(admin, conf.voters(), withSelf);
    }

    private boolean listed() throws IOException {
        LeaderConfiguration conf = LeaderConfiguration.read(admin, voters.getGroupId());
        return conf != null && listed(conf);
    }

    /**
     * A voter (added by AddRaftVoter), or a listener at this node's current address: a node restarted on another
     * port is added again.
     */
    private boolean listed(LeaderConfiguration conf) {
        RaftPeer listener = conf.listener(self.getId());
        return conf.voter(self.getId()) != null
                || listener != null && listener.getAddress().equals(self.getAddress());
    }

    static boolean causedBy(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void close() {
        checks.shutdownNow();
        try {
            admin.close();
        } catch (IOException e) {
            LOG.warn("Closing the listener membership client failed", e);
        }
    }
}
