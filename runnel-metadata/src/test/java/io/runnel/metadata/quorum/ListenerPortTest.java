package io.runnel.metadata.quorum;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.runnel.metadata.QuorumConfig;
import io.runnel.metadata.record.TopicRecord;
import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.common.Uuid;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A broker-only node comes back at the listener port it announced: when another process holds that port, its start
 * fails at once naming the port and the file that keeps it (not after the start timeout, waiting for a leader that
 * would never reach it); once the port is free, it starts there and follows the log again.
 */
class ListenerPortTest {
    private static final String CLUSTER_ID = "MkU3OEVBNTcwNTJENDM2Qk";
    private static final int VOTER = 1;
    private static final int BROKER = 2;
    /** Longer than a failed start may take: a start that waits for a leader runs into it. */
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    @TempDir
    Path dir;
    private final List<RatisMetadataLog> members = new ArrayList<>();

    @AfterEach
    void closeAll() {
        members.forEach(RatisMetadataLog::close);
    }

    @Test
    void aTakenListenerPortFailsTheStartAtOnceAndAFreedOneIsFollowedAgain() throws Exception {
        Map<Integer, InetSocketAddress> voters = Map.of(VOTER, new InetSocketAddress("127.0.0.1", freePort()));
        RatisMetadataLog voter = start(new QuorumConfig(VOTER, CLUSTER_ID, voters, dir.resolve("voter"), 1, (short) 1,
                1, 1000, 9_000, null));
        QuorumConfig brokerConfig = new QuorumConfig(BROKER, CLUSTER_ID, voters, dir.resolve("broker"), 1, (short) 1, 1,
                1000, 9_000, new InetSocketAddress("127.0.0.1", 0));
        RatisMetadataLog broker = start(brokerConfig);
        voter.write(List.of(new TopicRecord("before", Uuid.randomUuid()))).get(30, TimeUnit.SECONDS);
        awaitTopic(broker, "before");
        broker.close();

        Path portFile = brokerConfig.metadataDir().resolve(RatisMetadataLog.STORAGE_DIR_NAME)
                .resolve(ListenerPortFile.FILE_NAME);
        int port = Integer.parseInt(Files.readString(portFile, StandardCharsets.UTF_8).trim());
        try (ServerSocket squatter = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            IOException failed = assertThrows(IOException.class, () -> start(brokerConfig));
            assertTrue(failed instanceof BindException, failed.toString());
            assertTrue(failed.getMessage().contains("127.0.0.1:" + port) && failed.getMessage().contains(portFile.toString())
                    && failed.getMessage().contains("Address already in use"), failed.getMessage());
        }

        RatisMetadataLog restarted = start(brokerConfig);
        voter.write(List.of(new TopicRecord("after", Uuid.randomUuid()))).get(30, TimeUnit.SECONDS);
        awaitTopic(restarted, "after");
    }

    private RatisMetadataLog start(QuorumConfig config) throws IOException {
        RatisMetadataLog member = new RatisMetadataLog(config);
        members.add(member);
        member.start(START_TIMEOUT);
        return member;
    }

    private static void awaitTopic(RatisMetadataLog member, String topic) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!member.stateMachine().image().topicsByName().containsKey(topic)) {
            assertTrue(System.nanoTime() < deadline, "the broker applies " + topic);
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
