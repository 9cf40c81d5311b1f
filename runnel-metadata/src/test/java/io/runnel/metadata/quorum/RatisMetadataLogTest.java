package io.runnel.metadata.quorum;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.runnel.metadata.QuorumConfig;
import io.runnel.metadata.record.TopicRecord;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.NotControllerException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Three voters on 127.0.0.1: who may append controller records. */
class RatisMetadataLogTest {
    private static final String CLUSTER_ID = "MkU3OEVBNTcwNTJENDM2Qk";

    @TempDir
    Path dir;
    private final List<RatisMetadataLog> members = new ArrayList<>();

    @AfterEach
    void closeAll() {
        members.forEach(RatisMetadataLog::close);
    }

    /**
     * A controller's records are valid only in the log of the leader that computed them: a member that does not
     * lead refuses them rather than relaying them to whichever member leads (as a deposed controller's retried
     * writes reached its successor once a network partition healed), and the leader still takes its own.
     */
    @Test
    void onlyTheLeaderAppendsItsOwnRecordsAndAFollowerRelaysNone() throws Exception {
        start();
        RatisMetadataLog leader = members.stream().filter(RatisMetadataLog::isLeader).findFirst().orElseThrow();
        RatisMetadataLog follower = members.stream().filter(m -> !m.isLeader()).findFirst().orElseThrow();

        ExecutionException refused = assertThrows(ExecutionException.class, () -> follower.write(
                List.of(new TopicRecord("from-a-follower", Uuid.randomUuid()))).get(30, TimeUnit.SECONDS));
        assertInstanceOf(NotControllerException.class, refused.getCause());

        leader.write(List.of(new TopicRecord("from-the-leader", Uuid.randomUuid()))).get(30, TimeUnit.SECONDS);
        // Once the leader's later entry is applied everywhere, a relayed one would have been applied as well.
        for (RatisMetadataLog member : members) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!member.stateMachine().image().topicsByName().containsKey("from-the-leader")) {
                assertTrue(System.nanoTime() < deadline, "every member applies the leader's record");
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
            }
            assertFalse(member.stateMachine().image().topicsByName().containsKey("from-a-follower"));
        }
    }

    private void start() throws Exception {
        Map<Integer, InetSocketAddress> voters = new HashMap<>();
        for (int id = 1; id <= 3; id++) {
            voters.put(id, new InetSocketAddress("127.0.0.1", freePort()));
        }
        List<CompletableFuture<Void>> starts = new ArrayList<>();
        for (int id = 1; id <= 3; id++) {
            RatisMetadataLog member = new RatisMetadataLog(new QuorumConfig(id, CLUSTER_ID, voters,
                    dir.resolve("node" + id), 1, (short) 3, 1, 1000, 9_000, null));
            members.add(member);
            // Each start waits for a leader, which needs a majority: start them together.
            starts.add(CompletableFuture.runAsync(() -> {
                try {
                    member.start(Duration.ofSeconds(60));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }));
        }
        CompletableFuture.allOf(starts.toArray(CompletableFuture[]::new)).get(90, TimeUnit.SECONDS);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
