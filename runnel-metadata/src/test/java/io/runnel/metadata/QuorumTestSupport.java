package io.runnel.metadata;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/** Quorums on free loopback ports, retrying when a port was taken between probe and bind. */
final class QuorumTestSupport {
    static final String CLUSTER_ID = "MkU3OEVBNTcwNTJENDM2Qk";

    private QuorumTestSupport() {
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    static QuorumConfig config(Path dir, int port, long snapshotEveryEntries) {
        return config(dir, port, snapshotEveryEntries, CLUSTER_ID);
    }

    private static QuorumConfig config(Path dir, int port, long snapshotEveryEntries, String clusterId) {
        return new QuorumConfig(1, clusterId, Map.of(1, new InetSocketAddress("127.0.0.1", port)), dir, 1, (short) 1, 1,
                snapshotEveryEntries, 9_000, null);
    }

    /** Starts a single voter in {@code dir}; the port may change across attempts, the storage does not. */
    static MetadataQuorum startSingle(Path dir, long snapshotEveryEntries) throws IOException {
        return startSingle(dir, snapshotEveryEntries, CLUSTER_ID);
    }

    static MetadataQuorum startSingle(Path dir, long snapshotEveryEntries, String clusterId) throws IOException {
        IOException last = null;
        for (int attempt = 0; attempt < 3; attempt++) {
            MetadataQuorum quorum = new MetadataQuorum(config(dir, freePort(), snapshotEveryEntries, clusterId));
            try {
                quorum.start();
                return quorum;
            } catch (IOException e) {
                last = e;
            }
        }
        throw last;
    }

    /**
     * Three voters (nodes 1-3) and {@code listeners} non-voting members (nodes 4..., each on a port of its own),
     * started together, on other ports when a port picked as free was taken meanwhile. Broker sessions outlast a
     * slow test: no broker is fenced for silence.
     */
    static List<MetadataQuorum> startThreeVoters(Path dir, int listeners) throws Exception {
        return startThreeVoters(dir, listeners, new ArrayList<>());
    }

    /** As {@link #startThreeVoters(Path, int)}, adding each member's configuration to {@code configs}. */
    static List<MetadataQuorum> startThreeVoters(Path dir, int listeners, List<QuorumConfig> configs)
            throws Exception {
        for (int attempt = 1; ; attempt++) {
            List<MetadataQuorum> quorums = new ArrayList<>();
            configs.clear();
            try {
                startThreeVotersOnce(dir, listeners, quorums, configs);
                return quorums;
            } catch (ExecutionException e) {
                quorums.forEach(MetadataQuorum::close);
                if (attempt == 3 || !String.valueOf(e.getMessage()).contains("Failed to start NettyRpcService")) {
                    throw e;
                }
            }
        }
    }

    private static void startThreeVotersOnce(Path dir, int listeners, List<MetadataQuorum> quorums,
                                             List<QuorumConfig> configs) throws Exception {
        Map<Integer, InetSocketAddress> voters = new HashMap<>();
        for (int id = 1; id <= 3; id++) {
            voters.put(id, new InetSocketAddress("127.0.0.1", freePort()));
        }
        Path attemptDir = Files.createTempDirectory(dir, "cluster");
        List<CompletableFuture<Void>> starts = new ArrayList<>();
        for (int id = 1; id <= 3 + listeners; id++) {
            InetSocketAddress observer = id <= 3 ? null : new InetSocketAddress("127.0.0.1", freePort());
            QuorumConfig config = new QuorumConfig(id, CLUSTER_ID, voters, attemptDir.resolve("node" + id), 1,
                    (short) 3, 1, 1000, 120_000, observer);
            configs.add(config);
            MetadataQuorum quorum = new MetadataQuorum(config);
            quorums.add(quorum);
            // Each start waits for a leader, which needs a majority: start them together.
            starts.add(CompletableFuture.runAsync(() -> {
                try {
                    quorum.start();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }));
        }
        CompletableFuture.allOf(starts.toArray(CompletableFuture[]::new)).get(90, TimeUnit.SECONDS);
    }

    static <T> T get(CompletableFuture<T> future) throws Exception {
        return future.get(30, TimeUnit.SECONDS);
    }
}
