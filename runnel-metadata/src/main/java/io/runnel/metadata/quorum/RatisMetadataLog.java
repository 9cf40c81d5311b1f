package io.runnel.metadata.quorum;

import io.runnel.metadata.MetadataImage;
import io.runnel.metadata.QuorumConfig;
import io.runnel.metadata.ElectionLatency;
import io.runnel.metadata.RaftEvents;
import io.runnel.metadata.RaftStatus;
import io.runnel.metadata.controller.MetadataLog;
import io.runnel.metadata.controller.RequestAnswer;
import io.runnel.metadata.record.MetadataRecord;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.NotControllerException;
import org.apache.kafka.common.message.DescribeQuorumResponseData;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.client.RaftClientConfigKeys;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.proto.RaftProtos;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftClientRequest;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.proto.RaftProtos.RaftPeerRole;
import org.apache.ratis.retry.RetryPolicies;
import org.apache.ratis.server.DivisionInfo;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.RaftServerConfigKeys;
import org.apache.ratis.server.protocol.TermIndex;
import org.apache.ratis.server.raftlog.RaftLog;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.thirdparty.com.google.protobuf.UnsafeByteOperations;
import org.apache.ratis.util.TimeDuration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The metadata log on Apache Ratis: this node's Raft server (a voter) with the {@link MetadataStateMachine},
 * which takes this node's controller records while it leads, and clients that reach whichever peer leads (the
 * start-up barrier, and controller operations forwarded to the leader).
 */
public final class RatisMetadataLog implements MetadataLog, AutoCloseable {
    public static final String STORAGE_DIR_NAME = "__cluster_metadata-0";
    private static final Logger LOG = LoggerFactory.getLogger(RatisMetadataLog.class);
    /**
     * How long the start-up barrier's client waits for one attempt. A commit takes milliseconds, but on a loaded host a
     * configuration change (a listener joining) and pauses can hold one for more than a second, and an attempt
     * that times out is sent again; a leader that died is noticed at once anyway (its connection fails).
     */
    private static final long REQUEST_TIMEOUT_MS = 10_000;
    private static final long RETRY_SLEEP_MS = 100;
    private static final int ATTEMPTS = 300;
    /**
     * Ratis answers a retried write from its retry cache only while the entry of the first attempt is cached:
     * an entry must outlive the client's whole retry window, or the retry is appended a second time.
     */
    /** The longest a voter change may take, whatever the request asks: the Admin client's default.api.timeout.ms. */
    private static final long MAX_VOTER_CHANGE_MS = 60_000;
    private static final long RETRY_CACHE_EXPIRY_MS = 2 * ATTEMPTS * (REQUEST_TIMEOUT_MS + RETRY_SLEEP_MS);

    private final QuorumConfig config;
    private final MetadataStateMachine stateMachine;
    /** This member's view at start-up: the voters, and this node itself when it is a listener. */
    private final RaftGroup group;
    /** The voters only: where clients send requests. */
    private final RaftGroup voters;
    /** This node as a listener peer, or null for a voter. */
    private final RaftPeer observer;
    private final RaftPeerId self;
    private RaftServer server;
    private ListenerMembership membership;
    private RaftClient client;
    /** Sends controller operations to the leader; separate so that a slow operation never delays a write. */
    private volatile LeaderForwarding forwarding;
    /** Names this member's own writes in its server's retry cache. */
    private final ClientId localWriter = ClientId.randomId();
    private final AtomicLong localCalls = new AtomicLong();
    private final AtomicBoolean changingVoters = new AtomicBoolean();
    private final VotersFileKeeper votersFile;
    /** The leader term in which this node last confirmed its image holds every committed entry. */
    private volatile long currentInTerm = -1;
    private volatile boolean closed;
    private volatile boolean running;
    private volatile RaftEvents events = RaftEvents.NONE;

    public RatisMetadataLog(QuorumConfig config) {
        boolean voter = config.voters().containsKey(config.nodeId());
        if (!voter && config.observerAddress() == null) {
            throw new IllegalArgumentException("Node " + config.nodeId() + " is not one of the controller quorum voters "
                    + config.voters().keySet() + " and has no address to follow the metadata log at");
        }
        this.config = config;
        this.stateMachine = new MetadataStateMachine(config.clusterId());
        this.voters = RaftGroup.valueOf(MetadataGroup.id(config.clusterId()), config.voters().entrySet().stream()
                .map(e -> peer(e.getKey(), e.getValue(), RaftPeerRole.FOLLOWER)).toList());
        this.self = peerId(config.nodeId());
        this.votersFile = new VotersFileKeeper(config.metadataDir());
        stateMachine.onConfigurationChange(votersFile);
        stateMachine.onLeaderChange(leader -> {
            LeaderForwarding f = forwarding;
            if (f != null) {
                f.leaderChanged(leader);
            }
        });
        this.observer = voter ? null : peer(config.nodeId(), config.observerAddress(), RaftPeerRole.LISTENER);
        List<RaftPeer> members = new ArrayList<>(voters.getPeers());
        if (observer != null) {
            members.add(observer);
        }
        this.group = RaftGroup.valueOf(voters.getGroupId(), members);
    }

    public MetadataStateMachine stateMachine() {
        return stateMachine;
    }

    /** Starts the server (formatting new storage, recovering existing) and waits until the log is replayed. */
    public void start(Duration timeout) throws IOException {
        try {
            onDaemonThread("runnel-metadata-start", () -> startServerAndClient(timeout));
        } catch (CompletionException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException("Failed to start the metadata quorum", e);
        }
    }

    private interface IoTask {
        void run() throws IOException;
    }

    /**
     * Ratis pools create threads lazily, inheriting the daemon flag of the thread that submits work, and some
     * outlive close(): starting and closing Ratis from a daemon thread keeps them from holding the JVM open.
     */
    private static void onDaemonThread(String name, IoTask task) {
        onNewDaemonThread(name, task).join();
    }

    private static CompletableFuture<Void> onNewDaemonThread(String name, IoTask task) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        Thread thread = new Thread(() -> {
            try {
                task.run();
                done.complete(null);
            } catch (Throwable e) {
                done.completeExceptionally(e);
            }
        }, name);
        thread.setDaemon(true);
        thread.start();
        return done;
    }

    private void startServerAndClient(Duration timeout) throws IOException {
        try {
            Path storageDir = config.metadataDir().resolve(STORAGE_DIR_NAME);
            MetadataGroup.adoptNameBasedDirectory(storageDir, config.clusterId());
            boolean exists = Files.isDirectory(storageDir.resolve(group.getGroupId().getUuid().toString()));
            InetSocketAddress address = observer == null ? config.voters().get(config.nodeId())
                    : ListenerPortFile.address(storageDir, config.observerAddress());
            RaftProperties properties = properties(address, storageDir);
            server = RaftServer.newBuilder().setServerId(self).setGroup(group).setStateMachine(stateMachine)
                    .setProperties(properties).setParameters(config.transport().parameters())
                    .setOption(exists ? RaftStorage.StartupOption.RECOVER : RaftStorage.StartupOption.FORMAT)
                    .build();
            server.start();
            long deadline = System.nanoTime() + timeout.toNanos();
            if (observer != null) {
                // Announced at the port bound, which start-up picks when the configured one is 0.
                int port = server.getServerRpc().getInetSocketAddress().getPort();
                ListenerPortFile.write(storageDir, port);
                RaftPeer announced = peer(config.nodeId(), new InetSocketAddress(config.observerAddress().getHostString(),
                        port), RaftPeerRole.LISTENER);
                membership = new ListenerMembership(config.transport(), properties, voters, announced, config.clusterId());
                membership.join(deadline);
                membership.keep();
            }
            RaftPeerId leader = stateMachine.firstLeader().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            // The voters as the recovered log names them: AddRaftVoter and RemoveRaftVoter may have changed them.
            RaftGroup current = currentVoters();
            client = newClient(properties, current, leader);
            forwarding = new LeaderForwarding(config.transport(), properties(address, storageDir), current, leader);
            barrierThroughLeader().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            running = true;
            // A configuration that reached this member inside a snapshot was never announced to it.
            votersFile.record(voters());
            LOG.info("Metadata quorum member n{} started ({}) at offset {}", config.nodeId(),
                    exists ? "recovered" : "formatted", stateMachine.image().lastAppliedOffset());
        } catch (TimeoutException e) {
            closeClientAndServer();
            // The Raft group id is the cluster id: voters formatted for different clusters never meet.
            String foreign = VoterDiscovery.foreignVoters(config.transport(), voters, self);
            throw new IOException("No metadata quorum leader within " + timeout.toMillis() + " ms (voters "
                    + config.voters() + "): a majority of the voters must run, each formatted with this node's "
                    + "cluster id " + config.clusterId() + (foreign.isEmpty() ? "" : "; " + foreign), e);
        } catch (InterruptedException e) {
            closeClientAndServer();
            Thread.currentThread().interrupt();
            throw new IOException("Interrupted while starting the metadata quorum", e);
        } catch (ExecutionException | IOException | RuntimeException e) {
            closeClientAndServer();
            throw e instanceof IOException io ? io : new IOException("Failed to start the metadata quorum", e);
        }
    }

    /** Started and not closed. */
    public boolean isRunning() {
        return running;
    }

    /** The node id of the leader this member knows of, or -1. */
    public int leaderNodeId() {
        RaftPeerId leader = leaderId();
        return leader == null ? -1 : nodeId(leader);
    }

    /**
     * The quorum as its leader sees it, in Kafka's DescribeQuorum terms: the Raft term as leader epoch, the commit
     * index as high watermark, each voter's matched index as its log end offset, and the time of the leader's
     * last exchange with each follower as its last fetch (caught up when it matched the commit index), and the
     * metadata directory id each member registered (zero while it has not). Fails
     * with {@code NotControllerException} on a member that does not lead.
     */
    public DescribeQuorumResponseData.PartitionData describeQuorum() {
        DivisionInfo info = divisionInfo();
        if (info == null || !info.isLeader()) {
            throw new NotControllerException("Node " + config.nodeId() + " is not the active controller");
        }
        RaftLog raftLog;
        try {
            raftLog = server.getDivision(group.getGroupId()).getRaftLog();
        } catch (IOException e) {
            throw new NotControllerException("The metadata quorum is unavailable: " + e);
        }
        Map<Integer, InetSocketAddress> voters = voters();
        Map<Integer, Uuid> directories = stateMachine.image().quorumDirectories();
        long now = System.currentTimeMillis();
        long committed = raftLog.getLastCommittedIndex();
        DescribeQuorumResponseData.PartitionData partition = new DescribeQuorumResponseData.PartitionData()
                .setPartitionIndex(0).setLeaderId(config.nodeId()).setLeaderEpoch((int) info.getCurrentTerm())
                .setHighWatermark(committed);
        partition.currentVoters().add(new DescribeQuorumResponseData.ReplicaState().setReplicaId(config.nodeId())
                .setReplicaDirectoryId(directories.getOrDefault(config.nodeId(), Uuid.ZERO_UUID))
                .setLogEndOffset(raftLog.getLastEntryTermIndex() == null ? 0 : raftLog.getLastEntryTermIndex().getIndex())
                .setLastFetchTimestamp(now).setLastCaughtUpTimestamp(now));
        List<RaftProtos.ServerRpcProto> followers = info.getRoleInfoProto().getLeaderInfo().getFollowerInfoList();
        long[] matched = info.getFollowerMatchIndices();
        for (int i = 0; i < followers.size() && i < matched.length; i++) {
            long lastContact = now - followers.get(i).getLastRpcElapsedTimeMs();
            int id = nodeId(RaftPeerId.valueOf(followers.get(i).getId().getId()));
            (voters.containsKey(id) ? partition.currentVoters() : partition.observers())
                    .add(new DescribeQuorumResponseData.ReplicaState().setReplicaId(id)
                    .setReplicaDirectoryId(directories.getOrDefault(id, Uuid.ZERO_UUID)).setLogEndOffset(matched[i]).setLastFetchTimestamp(lastContact)
                    .setLastCaughtUpTimestamp(matched[i] >= committed ? lastContact : -1));
        }
        return partition;
    }

    /**
     * The voters by node id, as this member's copy of the group's configuration names them: the voters of
     * {@code controller.quorum.voters} until AddRaftVoter or RemoveRaftVoter changes them. A voter that file names
     * is reached at the address it gives there (a voter may have moved to another port since its last start).
     */
    public Map<Integer, InetSocketAddress> voters() {
        Map<Integer, InetSocketAddress> current = new TreeMap<>();
        try {
            for (RaftPeer peer : server.getDivision(group.getGroupId()).getRaftConf().getCurrentPeers(RaftPeerRole.FOLLOWER)) {
                int id = nodeId(peer.getId());
                current.put(id, config.voters().getOrDefault(id, address(peer.getAddress())));
            }
        } catch (IOException | RuntimeException e) {
            return config.voters();
        }
        return current;
    }

    /**
     * Makes node {@code nodeId}, which follows the log as a listener, a voter at {@code address} (Kafka's
     * AddRaftVoter); fails with DuplicateVoterException when it is one, TimeoutException when it does not follow
     * the log or no leader applies the change within {@code timeoutMs}.
     */
    public CompletableFuture<Void> addVoter(int nodeId, InetSocketAddress address, long timeoutMs) {
        long deadline = voterChangeDeadline(timeoutMs);
        return changeVoters("runnel-metadata-add-voter", changes -> changes.add(nodeId, address, deadline));
    }

    /**
     * Makes voter {@code nodeId} a listener (Kafka's RemoveRaftVoter), which it acts as once restarted; fails with VoterNotFoundException when it is
     * no voter, TimeoutException when no leader applies the change within {@code timeoutMs}.
     */
    public CompletableFuture<Void> removeVoter(int nodeId, long timeoutMs) {
        long deadline = voterChangeDeadline(timeoutMs);
        return changeVoters("runnel-metadata-remove-voter", changes -> changes.remove(nodeId, deadline));
    }

    private interface VoterChange {
        void apply(VoterChanges changes) throws IOException;
    }

    /**
     * Runs {@code change} through a client of the current voters, on its own thread (Ratis's admin calls block), one
     * change at a time: while one runs, another fails at once, as KRaft answers a voter change while one is pending.
     */
    private CompletableFuture<Void> changeVoters(String threadName, VoterChange change) {
        if (!changingVoters.compareAndSet(false, true)) {
            return CompletableFuture.failedFuture(new org.apache.kafka.common.errors.TimeoutException(
                    "Another change of the metadata quorum's voters is in progress"));
        }
        RaftGroup current = currentVoters();
        return onNewDaemonThread(threadName, () -> {
            try (RaftClient admin = config.transport().client(config.transport().clientProperties(), current).build()) {
                change.apply(new VoterChanges(admin, group.getGroupId()));
            }
        }).whenComplete((done, error) -> changingVoters.set(false));
    }

    /** {@code timeoutMs} from a request, within [0, {@value #MAX_VOTER_CHANGE_MS}] ms from now. */
    private static long voterChangeDeadline(long timeoutMs) {
        return System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(Math.max(0, Math.min(timeoutMs, MAX_VOTER_CHANGE_MS)));
    }

    private RaftGroup currentVoters() {
        return RaftGroup.valueOf(group.getGroupId(), voters().entrySet().stream()
                .map(e -> peer(e.getKey(), e.getValue(), RaftPeerRole.FOLLOWER)).toList());
    }

    /** Where {@link #write} reports what raft-metrics count. */
    public void observe(RaftEvents events) {
        this.events = events;
    }

    /** This member's role, term, leader and log offsets now (see {@link RaftStatus}). */
    public RaftStatus status() {
        DivisionInfo info = divisionInfo();
        if (info == null) {
            return RaftStatus.UNATTACHED;
        }
        RaftLog raftLog;
        try {
            raftLog = server.getDivision(group.getGroupId()).getRaftLog();
        } catch (IOException e) {
            return RaftStatus.UNATTACHED;
        }
        RaftPeerId leader = info.getLeaderId();
        TermIndex last = raftLog.getLastEntryTermIndex();
        return new RaftStatus(leader == null ? -1 : nodeId(leader), info.getCurrentTerm(),
                kafkaState(info.getCurrentRole(), leader), raftLog.getLastCommittedIndex(),
                last == null ? 0 : last.getIndex());
    }

    /**
     * KRaft's name for a Ratis role: a listener follows the log as a KRaft observer does, whose state is
     * {@code follower} while it knows the leader; a member knowing no leader outside an election is unattached.
     */
    private static String kafkaState(RaftPeerRole role, RaftPeerId leader) {
        return switch (role) {
            case LEADER -> "leader";
            case CANDIDATE -> "candidate";
            case FOLLOWER, LISTENER -> leader == null ? "unattached" : "follower";
            default -> "unattached";
        };
    }

    public boolean isLeader() {
        DivisionInfo info = divisionInfo();
        return info != null && info.isLeader();
    }

    @Override
    public CompletableFuture<MetadataImage> currentImage() {
        DivisionInfo info = divisionInfo();
        if (info == null || !info.isLeader()) {
            RaftPeerId leader = info == null ? null : info.getLeaderId();
            return CompletableFuture.failedFuture(new NotControllerException("Node " + config.nodeId()
                    + " is not the active controller" + (leader == null ? "" : "; the leader is " + leader)));
        }
        long term = info.getCurrentTerm();
        if (term == currentInTerm) {
            return CompletableFuture.completedFuture(stateMachine.image());
        }
        // A new leader may not have applied entries of earlier terms yet: a barrier entry settles that.
        return write(List.of()).thenApply(ignored -> {
            currentInTerm = term;
            return stateMachine.image();
        });
    }

    /**
     * Appends the records through this member's own Raft server, and only while it leads; fails with
     * {@code NotControllerException} otherwise. The controller computes records from its own image, so they are
     * valid only in the log of the leader that computed them: relayed to another leader (a deposed controller cut
     * off from the others, its writes retried until the network heals), they would undo what that leader decided,
     * e.g. fence live brokers and hand a partition back to a replica that missed acknowledged records.
     */
    @Override
    public CompletableFuture<Void> write(List<MetadataRecord> records, RequestAnswer answered) {
        MetadataCommand command = answered == null ? new MetadataCommand(UUID.randomUUID(), new byte[0], records)
                : new MetadataCommand(answered.requestId(), answered.answer(), records);
        RaftClientRequest request = RaftClientRequest.newBuilder().setClientId(localWriter).setServerId(self)
                .setGroupId(group.getGroupId()).setCallId(localCalls.incrementAndGet()).setMessage(message(command))
                .setType(RaftClientRequest.writeRequestType()).build();
        CompletableFuture<RaftClientReply> sent;
        long start = System.nanoTime();
        try {
            sent = server.submitClientRequestAsync(request);
        } catch (IOException | RuntimeException e) {
            return CompletableFuture.failedFuture(unavailable(e));
        }
        sent.thenAccept(reply -> {
            if (reply.isSuccess()) {
                events.committed(records.size(), System.nanoTime() - start);
            }
        });
        return applied(sent);
    }

    /** An empty entry through whichever member leads: once it is applied here, so is everything before it. */
    private CompletableFuture<Void> barrierThroughLeader() {
        CompletableFuture<RaftClientReply> sent;
        try {
            sent = client.async().send(message(new MetadataCommand(UUID.randomUUID(), new byte[0], List.of())));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(unavailable(e));
        }
        return applied(sent);
    }

    private static Message message(MetadataCommand command) {
        return Message.valueOf(UnsafeByteOperations.unsafeWrap(command.encode()));
    }

    private CompletableFuture<Void> applied(CompletableFuture<RaftClientReply> sent) {
        return sent.thenCompose(reply -> reply.isSuccess()
                        ? stateMachine.awaitApplied(reply.getLogIndex())
                        : CompletableFuture.<Void>failedFuture(reply.getException()))
                .exceptionallyCompose(e -> CompletableFuture.failedFuture(unavailable(e)));
    }

    /**
     * Sends a controller operation to the leader this member knows (see {@link LeaderForwarding}) and completes
     * with its answer; fails with {@code NotControllerException} when no leader is known, the leader does not
     * answer within {@code timeoutMs}, or this member learns of another leader first.
     */
    public CompletableFuture<ByteBuffer> forward(byte[] operation, long timeoutMs) {
        RaftPeerId leader = leaderId();
        LeaderForwarding f = forwarding;
        if (leader == null || f == null) {
            return CompletableFuture.failedFuture(new NotControllerException("Node " + config.nodeId()
                    + " knows no metadata quorum leader"));
        }
        RaftPeer leaderPeer = peer(leader);
        if (leaderPeer != null) {
            f.reach(leaderPeer);
        }
        CompletableFuture<RaftClientReply> sent = f.send(operation, leader, timeoutMs);
        if (!leader.equals(leaderId())) {
            f.leaderChanged(leaderId()); // the leader changed while the operation was being sent
        }
        return sent.thenCompose(reply -> reply.isSuccess()
                        ? CompletableFuture.completedFuture(ByteBuffer.wrap(reply.getMessage().getContent().toByteArray()))
                        : CompletableFuture.<ByteBuffer>failedFuture(reply.getException()))
                .exceptionallyCompose(e -> CompletableFuture.failedFuture(unavailable(e)));
    }

    /** Member {@code id} as this member's copy of the configuration names it; null when it names none. */
    private RaftPeer peer(RaftPeerId id) {
        try {
            return server.getDivision(group.getGroupId()).getRaftConf().getPeer(id);
        } catch (IOException e) {
            return null;
        }
    }

    private RaftPeerId leaderId() {
        DivisionInfo info = divisionInfo();
        return info == null ? null : info.getLeaderId();
    }

    @Override
    public void close() {
        closed = true;
        running = false;
        onDaemonThread("runnel-metadata-close", this::closeClientAndServer);
        votersFile.close();
    }

    private RaftClient newClient(RaftProperties properties, RaftGroup voters, RaftPeerId leader) {
        return config.transport().client(properties, voters).setLeaderId(leader)
                .setRetryPolicy(RetryPolicies.retryUpToMaximumCountWithFixedSleep(ATTEMPTS,
                        TimeDuration.valueOf(RETRY_SLEEP_MS, TimeUnit.MILLISECONDS)))
                .build();
    }

    private void closeClientAndServer() {
        if (membership != null) {
            membership.close();
        }
        try {
            if (forwarding != null) {
                forwarding.close();
            }
            if (client != null) {
                client.close();
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("Closing the metadata quorum client failed", e);
        }
        try {
            if (server != null) {
                server.close();
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("Closing the metadata quorum server failed", e);
        }
    }

    /** How long this member's recent elections took, as Ratis timed them. */
    public ElectionLatency electionLatency() {
        if (server == null || closed) {
            return ElectionLatency.NONE;
        }
        try {
            return RatisElectionTimes.of(server.getDivision(group.getGroupId()).getMemberId());
        } catch (IOException e) {
            return ElectionLatency.NONE;
        }
    }

    private DivisionInfo divisionInfo() {
        if (server == null || closed) {
            return null;
        }
        try {
            return server.getDivision(group.getGroupId()).getInfo();
        } catch (IOException e) {
            return null;
        }
    }

    private RaftProperties properties(InetSocketAddress address, Path storageDir) {
        RaftProperties p = config.transport().serverProperties(address);
        RaftServerConfigKeys.setStorageDir(p, List.of(storageDir.toFile()));
        // Kafka's controller.quorum.election.timeout.ms (1 s), randomised up to twice that: shorter timeouts turn
        // the JVM pauses of a busy host (half a second is common) into elections.
        RaftServerConfigKeys.Rpc.setTimeoutMin(p, TimeDuration.valueOf(1000, TimeUnit.MILLISECONDS));
        RaftServerConfigKeys.Rpc.setTimeoutMax(p, TimeDuration.valueOf(2000, TimeUnit.MILLISECONDS));
        RaftServerConfigKeys.Snapshot.setAutoTriggerEnabled(p, true);
        // Only every snapshotEveryEntries: a restart replays at most that much of the log.
        RaftServerConfigKeys.Snapshot.setTriggerWhenStopEnabled(p, false);
        RaftServerConfigKeys.Snapshot.setAutoTriggerThreshold(p, config.snapshotEveryEntries());
        RaftServerConfigKeys.Snapshot.setCreationGap(p, config.snapshotEveryEntries());
        RaftServerConfigKeys.Snapshot.setRetentionFileNum(p, 2);
        RaftServerConfigKeys.Log.setPurgeUptoSnapshotIndex(p, true);
        RaftClientConfigKeys.Rpc.setRequestTimeout(p, TimeDuration.valueOf(REQUEST_TIMEOUT_MS, TimeUnit.MILLISECONDS));
        RaftServerConfigKeys.RetryCache.setExpiryTime(p, TimeDuration.valueOf(RETRY_CACHE_EXPIRY_MS, TimeUnit.MILLISECONDS));
        return p;
    }

    private static Throwable unavailable(Throwable e) {
        Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
        return cause instanceof NotControllerException ? cause
                : new NotControllerException("The metadata quorum is unavailable: " + cause);
    }

    static RaftPeerId peerId(int nodeId) {
        return RaftPeerId.valueOf("n" + nodeId);
    }

    static int nodeId(RaftPeerId peer) {
        return Integer.parseInt(peer.toString().substring(1));
    }

    /** The socket address of a peer's {@code host:port}. */
    static InetSocketAddress address(String address) {
        int colon = address.lastIndexOf(':');
        return new InetSocketAddress(address.substring(0, colon), Integer.parseInt(address.substring(colon + 1)));
    }

    /** The voters of a group configuration, by node id. */
    static Map<Integer, InetSocketAddress> voters(RaftProtos.RaftConfigurationProto configuration) {
        Map<Integer, InetSocketAddress> voters = new TreeMap<>();
        for (RaftProtos.RaftPeerProto voter : configuration.getPeersList()) {
            voters.put(nodeId(RaftPeerId.valueOf(voter.getId())), address(voter.getAddress()));
        }
        return voters;
    }

    static RaftPeer peer(int nodeId, InetSocketAddress address, RaftPeerRole role) {
        return RaftPeer.newBuilder().setId(peerId(nodeId)).setStartupRole(role)
                .setAddress(address.getHostString() + ":" + address.getPort()).build();
    }
}
