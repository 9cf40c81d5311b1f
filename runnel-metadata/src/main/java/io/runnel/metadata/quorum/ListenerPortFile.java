package io.runnel.metadata.quorum;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The port a broker-only node's listener peer bound, kept in its metadata dir so that the node comes back at the same
 * address: the quorum leader keeps sending to a listener's first address when a configuration only changes it, so
 * a broker restarted on another port would never hear from the leader again.
 */
final class ListenerPortFile {
    static final String FILE_NAME = "listener-port";

    private ListenerPortFile() {
    }

    /**
     * {@code configured}, or when its port is 0 the port kept in {@code dir} if it is free to bind (else 0, and the
     * node announces a new address).
     */
    static InetSocketAddress address(Path dir, InetSocketAddress configured) {
        Path file = dir.resolve(FILE_NAME);
        if (configured.getPort() != 0 || !Files.exists(file)) {
            return configured;
        }
        try {
            int port = Integer.parseInt(Files.readString(file, StandardCharsets.UTF_8).trim());
            InetSocketAddress kept = new InetSocketAddress(configured.getHostString(), port);
            try (ServerSocket probe = new ServerSocket()) {
                probe.bind(kept);
            }
            return kept;
        } catch (IOException | NumberFormatException e) {
            return configured;
        }
    }

    static void write(Path dir, int port) {
        try {
            Path tmp = dir.resolve(FILE_NAME + ".tmp");
            Files.writeString(tmp, Integer.toString(port), StandardCharsets.UTF_8);
            Files.move(tmp, dir.resolve(FILE_NAME), StandardCopyOption.REPLACE_EXISTING,
                    StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + dir.resolve(FILE_NAME), e);
        }
    }
}
