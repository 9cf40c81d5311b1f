package io.runnel.metadata.quorum;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.runnel.metadata.QuorumConfig;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A voter whose fellow voter was formatted with another cluster id says so when no leader comes. */
class ForeignVoterTest {
    @TempDir
    Path dir;

    @Test
    void aVoterNamesTheVoterThatRunsAnotherClustersGroup() throws Exception {
        Map<Integer, InetSocketAddress> voters = Map.of(1, new InetSocketAddress("127.0.0.1", freePort()),
                2, new InetSocketAddress("127.0.0.1", freePort()));
        RatisMetadataLog ours = new RatisMetadataLog(new QuorumConfig(1, "MkU3OEVBNTcwNTJENDM2Qk", voters,
                dir.resolve("ours"), 1, (short) 1, 1, 1000, 9_000, null));
        RatisMetadataLog foreign = new RatisMetadataLog(new QuorumConfig(2, "AnotherClusterIdAAAAAA", voters,
                dir.resolve("foreign"), 1, (short) 1, 1, 1000, 9_000, null));
        // Each waits for a leader that two voters of different groups never elect; the foreign one runs throughout.
        CompletableFuture<Void> foreignStart = CompletableFuture.runAsync(() -> {
            try {
                foreign.start(Duration.ofSeconds(12));
            } catch (IOException e) {
                // expected: no leader
            }
        });
        try {
            IOException refused = assertThrows(IOException.class, () -> ours.start(Duration.ofSeconds(5)));
            assertTrue(refused.getMessage().contains("voter 2 at 127.0.0.1:" + voters.get(2).getPort()
                    + " was formatted for cluster id AnotherClusterIdAAAAAA"), refused.getMessage());
            assertTrue(refused.getMessage().contains("this node's cluster id MkU3OEVBNTcwNTJENDM2Qk"),
                    refused.getMessage());
        } finally {
            ours.close();
            foreign.close();
            foreignStart.join();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
