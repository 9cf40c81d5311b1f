package io.runnel.metadata.quorum;

import io.runnel.metadata.MetadataDelta;
import io.runnel.metadata.MetadataImage;
import io.runnel.metadata.MetadataListener;
import io.runnel.metadata.controller.QuorumController;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import org.apache.kafka.common.message.DescribeQuorumResponseData;
import org.apache.ratis.proto.RaftProtos.LogEntryProto;
import org.apache.ratis.proto.RaftProtos.RaftConfigurationProto;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftGroupMemberId;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.protocol.TermIndex;
import org.apache.ratis.server.raftlog.RaftLog;
import org.apache.ratis.server.storage.FileInfo;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.statemachine.StateMachineStorage;
import org.apache.ratis.statemachine.TransactionContext;
import org.apache.ratis.statemachine.impl.BaseStateMachine;
import org.apache.ratis.statemachine.impl.SimpleStateMachineStorage;
import org.apache.ratis.statemachine.impl.SingleFileSnapshotInfo;
import org.apache.ratis.thirdparty.com.google.protobuf.UnsafeByteOperations;
import org.apache.ratis.util.LifeCycle;
import org.apache.ratis.util.MD5FileUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies metadata log entries to the image in log order, publishes each new image to the listeners, and
 * snapshots / restores the whole image. Apply is deterministic: all decisions were made before the write.
 */
public final class MetadataStateMachine extends BaseStateMachine {
    private static final Logger LOG = LoggerFactory.getLogger(MetadataStateMachine.class);

    private final String clusterId;
    private final SimpleStateMachineStorage storage = new SimpleStateMachineStorage();
    private final List<MetadataListener> listeners = new ArrayList<>();
    /** Futures waiting for the applied index to reach their key. Guarded by {@code this}. */
    private final TreeMap<Long, List<CompletableFuture<Void>>> appliedWaiters = new TreeMap<>();
    private final CompletableFuture<RaftPeerId> firstLeader = new CompletableFuture<>();
    private final List<Consumer<RaftPeerId>> leaderChangeListeners = new CopyOnWriteArrayList<>();
    private final List<Consumer<RaftConfigurationProto>> configurationListeners = new CopyOnWriteArrayList<>();
    private final AppliedCommands applied = new AppliedCommands();
    /** The requests this member runs as the active controller, by request id. */
    private final Map<UUID, CompletableFuture<byte[]>> running = new ConcurrentHashMap<>();
    private final ExecutorService requestThread = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "runnel-controller-requests");
        t.setDaemon(true);
        return t;
    });
    private volatile MetadataImage image;
    private volatile QuorumController activeController;
    private volatile Supplier<DescribeQuorumResponseData> quorumDescription;
    private volatile Supplier<CompletableFuture<?>> caughtUp;

    public MetadataStateMachine(String clusterId) {
        this.clusterId = clusterId;
        this.image = MetadataImage.empty(clusterId);
    }

    public MetadataImage image() {
        return image;
    }

    /** Registers {@code listener} and tells it the current image at once, atomically with respect to apply. */
    public synchronized void addListener(MetadataListener listener) {
        listeners.add(listener);
        notify(listener, MetadataImage.empty(clusterId), image);
    }

    /** Completes once every log entry up to {@code index} is applied here. */
    public synchronized CompletableFuture<Void> awaitApplied(long index) {
        if (appliedIndex() >= index) {
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<Void> waiter = new CompletableFuture<>();
        appliedWaiters.computeIfAbsent(index, i -> new ArrayList<>()).add(waiter);
        return waiter;
    }

    /**
     * The controller that runs requests while this member leads, the quorum's description, and {@code caughtUp}:
     * completes once this member, as the leader, has applied every committed entry (fails when it does not lead).
     */
    public void serveControllerOperations(QuorumController controller, Supplier<DescribeQuorumResponseData> quorum,
                                          Supplier<CompletableFuture<?>> caughtUp) {
        this.activeController = controller;
        this.quorumDescription = quorum;
        this.caughtUp = caughtUp;
    }

    /** A read-only request is a controller operation forwarded from another node: run it here, the leader. */
    @Override
    public CompletableFuture<Message> query(Message request) {
        return serve(ByteBuffer.wrap(request.getContent().toByteArray()))
                .thenApply(answer -> Message.valueOf(UnsafeByteOperations.unsafeWrap(answer)));
    }

    /**
     * Runs a controller request (see {@link ControllerMessages#request}) on this member, the active controller,
     * once per request id: a retry that finds the request running here waits for the same answer, and one that
     * finds it carried out by an applied entry (here or under an earlier leader) gets the answer that entry
     * recorded, instead of running it again.
     */
    CompletableFuture<byte[]> serve(ByteBuffer bytes) {
        QuorumController controller = activeController;
        if (controller == null) {
            return CompletableFuture.failedFuture(new IllegalStateException("Controller operations are not served yet"));
        }
        ControllerMessages.Request request;
        try {
            request = ControllerMessages.parseRequest(bytes);
        } catch (IllegalArgumentException e) {
            return CompletableFuture.failedFuture(e);
        }
        CompletableFuture<byte[]> answer = new CompletableFuture<>();
        CompletableFuture<byte[]> earlier = running.putIfAbsent(request.id(), answer);
        if (earlier != null) {
            return earlier;
        }
        // Off the caller's thread: a query arrives on a Ratis server thread, a local request maybe on an event loop.
        CompletableFuture.runAsync(() -> { }, requestThread).thenCompose(ignored -> caughtUp.get()).thenCompose(ignored -> {
            byte[] recorded = applied.answer(request.id());
            return recorded != null ? CompletableFuture.completedFuture(recorded)
                    : ControllerMessages.serve(request.id(), request.call(), controller, quorumDescription);
        }).whenComplete((value, error) -> {
            running.remove(request.id(), answer);
            if (error == null) {
                answer.complete(value);
            } else {
                answer.completeExceptionally(error);
            }
        });
        return answer;
    }

    /** Completes with the first leader this member sees (itself once it is ready to take writes). */
    public CompletableFuture<RaftPeerId> firstLeader() {
        return firstLeader;
    }

    /** Calls {@code listener} with every leader this member learns of (null while none is known). */
    void onLeaderChange(Consumer<RaftPeerId> listener) {
        leaderChangeListeners.add(listener);
    }

    @Override
    public void notifyLeaderChanged(RaftGroupMemberId member, RaftPeerId newLeader) {
        if (newLeader != null && !newLeader.equals(member.getPeerId())) {
            firstLeader.complete(newLeader);
        }
        leaderChangeListeners.forEach(l -> l.accept(newLeader));
    }

    /** Calls {@code listener}, on the apply thread, with every group configuration this member applies. */
    void onConfigurationChange(Consumer<RaftConfigurationProto> listener) {
        configurationListeners.add(listener);
    }

    @Override
    public void notifyConfigurationChanged(long term, long index, RaftConfigurationProto configuration) {
        configurationListeners.forEach(l -> l.accept(configuration));
    }

    @Override
    public void notifyLeaderReady() {
        firstLeader.complete(getId());
    }

    @Override
    public void initialize(RaftServer server, RaftGroupId groupId, RaftStorage raftStorage) throws IOException {
        super.initialize(server, groupId, raftStorage);
        storage.init(raftStorage);
        getLifeCycle().startAndTransition(() -> loadSnapshot(storage.getLatestSnapshot()), IOException.class);
    }

    // BaseStateMachine leaves the lifecycle alone when a snapshot is installed; the updater requires
    // RUNNING -> PAUSING -> PAUSED here and PAUSED -> STARTING -> RUNNING after reinitialize.
    @Override
    public void pause() {
        getLifeCycle().transition(LifeCycle.State.PAUSING);
        getLifeCycle().transition(LifeCycle.State.PAUSED);
    }

    @Override
    public void reinitialize() throws IOException {
        loadSnapshot(storage.loadLatestSnapshot());
        getLifeCycle().transition(LifeCycle.State.STARTING);
        getLifeCycle().transition(LifeCycle.State.RUNNING);
    }

    @Override
    public StateMachineStorage getStateMachineStorage() {
        return storage;
    }

    @Override
    public SingleFileSnapshotInfo getLatestSnapshot() {
        return storage.getLatestSnapshot();
    }

    @Override
    public CompletableFuture<Message> applyTransaction(TransactionContext trx) {
        LogEntryProto entry = trx.getLogEntry();
        MetadataCommand command;
        try {
            command = MetadataCommand.decode(entry.getStateMachineLogEntry().getLogData().newInput(), entry.getIndex());
        } catch (IOException e) {
            return CompletableFuture.failedFuture(new IOException("Undecodable metadata entry at " + entry.getIndex(), e));
        }
        synchronized (this) {
            if (applied.add(command)) {
                MetadataDelta delta = new MetadataDelta(image);
                command.records().forEach(delta::replay);
                publish(delta.apply(entry.getIndex()));
            } else {
                LOG.warn("Metadata entry {} repeats command {}, applied already: skipped", entry.getIndex(),
                        command.id());
            }
            updateLastAppliedTermIndex(entry.getTerm(), entry.getIndex());
            completeWaiters();
        }
        return CompletableFuture.completedFuture(Message.EMPTY);
    }

    /** Configuration and no-op entries advance the applied index too. */
    @Override
    public void notifyTermIndexUpdated(long term, long index) {
        synchronized (this) {
            super.notifyTermIndexUpdated(term, index);
            completeWaiters();
        }
    }

    @Override
    public long takeSnapshot() throws IOException {
        MetadataImage current;
        TermIndex last;
        synchronized (this) {
            current = image;
            last = getLastAppliedTermIndex();
        }
        if (last == null) {
            return RaftLog.INVALID_LOG_INDEX;
        }
        Path file = storage.getSnapshotFile(last.getTerm(), last.getIndex()).toPath();
        SnapshotFile.write(file, current);
        FileInfo info = new FileInfo(file, MD5FileUtil.computeAndSaveMd5ForFile(file.toFile()));
        storage.updateLatestSnapshot(new SingleFileSnapshotInfo(info, last));
        return last.getIndex();
    }

    @Override
    public synchronized void close() throws IOException {
        super.close();
        requestThread.shutdownNow();
        for (List<CompletableFuture<Void>> waiters : appliedWaiters.values()) {
            waiters.forEach(w -> w.completeExceptionally(new IOException("The metadata quorum is closed")));
        }
        appliedWaiters.clear();
    }

    private void loadSnapshot(SingleFileSnapshotInfo snapshot) throws IOException {
        if (snapshot == null) {
            return;
        }
        MetadataImage loaded = SnapshotFile.read(snapshot.getFile().getPath(), clusterId);
        synchronized (this) {
            publish(loaded);
            setLastAppliedTermIndex(snapshot.getTermIndex());
            completeWaiters();
        }
        LOG.info("Loaded the metadata snapshot at {} ({} topics, {} brokers)", snapshot.getTermIndex(),
                loaded.topicsByName().size(), loaded.brokers().size());
    }

    private void publish(MetadataImage next) {
        MetadataImage previous = image;
        image = next;
        for (MetadataListener listener : listeners) {
            notify(listener, previous, next);
        }
    }

    private static void notify(MetadataListener listener, MetadataImage previous, MetadataImage current) {
        try {
            listener.onMetadataUpdate(previous, current);
        } catch (RuntimeException e) {
            LOG.error("Metadata listener {} failed on the image at offset {}", listener, current.lastAppliedOffset(), e);
        }
    }

    private long appliedIndex() {
        TermIndex applied = getLastAppliedTermIndex();
        return applied == null ? RaftLog.INVALID_LOG_INDEX : applied.getIndex();
    }

    private void completeWaiters() {
        long applied = appliedIndex();
        Iterator<Map.Entry<Long, List<CompletableFuture<Void>>>> it = appliedWaiters.headMap(applied, true)
                .entrySet().iterator();
        while (it.hasNext()) {
            it.next().getValue().forEach(w -> w.complete(null));
            it.remove();
        }
    }
}
