package io.runnel.metadata;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Single-voter quorums on free loopback ports, retrying when a port was taken between probe and bind. */
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
        return new QuorumConfig(1, clusterId, Map.of(1, new InetSocketAddress("127.0.0.1", port)), dir, 1, (short) 1,
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

    static <T> T get(CompletableFuture<T> future) throws Exception {
        return future.get(30, TimeUnit.SECONDS);
    }
}
