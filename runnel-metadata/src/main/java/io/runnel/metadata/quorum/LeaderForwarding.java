package io.runnel.metadata.quorum;

import java.io.IOException;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.errors.NotControllerException;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.client.RaftClientConfigKeys;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.thirdparty.com.google.protobuf.UnsafeByteOperations;
import org.apache.ratis.util.TimeDuration;

/**
 * Sends controller operations to the leader a member knows, as read-only Ratis requests (nothing is written for
 * the request itself: the leader's state machine runs the operation in its controller). An operation waiting for
 * a leader fails with {@code NotControllerException} as soon as the member learns of another leader: a leader cut
 * off by a network partition holds requests without answering, and the caller (a broker's heartbeat among them)
 * must reach its successor before its session expires there. Nothing is retried here: the caller tries again,
 * with the leader the member knows then.
 */
final class LeaderForwarding implements AutoCloseable {
    /**
     * An operation that outlasts it is tried again, so run twice: it is long. A dead leader is noticed at once (the
     * connection fails), a leader cut off when its successor is known, and the caller's deadline bounds the wait.
     */
    private static final long REQUEST_TIMEOUT_MS = 10_000;

    /** An operation waiting for the answer of {@code leader}. */
    private record Pending(RaftPeerId leader, CompletableFuture<RaftClientReply> answer) {
    }

    private final RaftClient client;
    private final Set<Pending> pending = ConcurrentHashMap.newKeySet();
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "runnel-controller-forwarding");
        t.setDaemon(true);
        return t;
    });

    LeaderForwarding(QuorumTransport transport, RaftProperties properties, RaftGroup group, RaftPeerId leader) {
        RaftClientConfigKeys.Rpc.setRequestTimeout(properties, TimeDuration.valueOf(REQUEST_TIMEOUT_MS,
                TimeUnit.MILLISECONDS));
        this.client = transport.client(properties, group).setLeaderId(leader).build();
    }

    /**
     * Sends {@code operation} to {@code leader}; the reply, or a failure after {@code timeoutMs} or once
     * {@link #leaderChanged} names another leader.
     */
    CompletableFuture<RaftClientReply> send(byte[] operation, RaftPeerId leader, long timeoutMs) {
        Message message = Message.valueOf(UnsafeByteOperations.unsafeWrap(operation));
        Pending waiting = new Pending(leader, new CompletableFuture<>());
        pending.add(waiting);
        try {
            // Blocking calls on their own threads: the Netty client has no unordered asynchronous reads, and
            // ordered ones would hold a quick heartbeat's answer behind a slow operation's.
            CompletableFuture.supplyAsync(() -> {
                try {
                    return client.io().sendReadOnly(message, leader);
                } catch (IOException e) {
                    throw new CompletionException(e);
                }
            }, threads).whenComplete((reply, e) -> {
                if (e == null) {
                    waiting.answer.complete(reply);
                } else {
                    waiting.answer.completeExceptionally(e);
                }
            });
        } catch (RuntimeException e) {
            waiting.answer.completeExceptionally(e);
        }
        return waiting.answer.orTimeout(Math.max(1, timeoutMs), TimeUnit.MILLISECONDS)
                .whenComplete((reply, e) -> pending.remove(waiting));
    }

    /** Lets operations reach {@code peer}: a voter added after this member started is not among the client's peers. */
    void reach(RaftPeer peer) {
        client.getClientRpc().addRaftPeers(List.of(peer));
    }

    /** Fails the operations waiting for another member than {@code leader} (null: no leader known). */
    void leaderChanged(RaftPeerId leader) {
        for (Pending waiting : pending) {
            if (!waiting.leader.equals(leader)) {
                waiting.answer.completeExceptionally(new NotControllerException("The metadata quorum leader is no "
                        + "longer " + waiting.leader + (leader == null ? "" : " but " + leader)));
            }
        }
    }

    @Override
    public void close() throws IOException {
        threads.shutdownNow();
        client.close();
    }
}
