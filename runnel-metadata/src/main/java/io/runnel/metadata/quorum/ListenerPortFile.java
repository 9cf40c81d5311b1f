package io.runnel.metadata.quorum;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
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
     * {@code configured}, or when its port is 0 the port kept in {@code dir}. A kept port that another process holds
     * fails the start at once, naming the port and the file: the quorum leader would never reach this node at a new
     * one, and the node would wait in vain for the metadata log.
     */
    static InetSocketAddress address(Path dir, InetSocketAddress configured) throws BindException {
        Path file = dir.resolve(FILE_NAME);
        if (configured.getPort() != 0 || !Files.exists(file)) {
            return configured;
        }
        int port;
        try {
            port = Integer.parseInt(Files.readString(file, StandardCharsets.UTF_8).trim());
        } catch (IOException | NumberFormatException e) {
            return configured;
        }
        InetSocketAddress kept = new InetSocketAddress(configured.getHostString(), port);
        try (ServerSocket probe = new ServerSocket()) {
            probe.bind(kept);
        } catch (IOException e) {
            BindException taken = new BindException("Cannot listen to the metadata quorum at " + kept.getHostString()
                    + ":" + port + ", the port this broker announced to the quorum before (kept in " + file + "): "
                    + e.getMessage() + ". The quorum leader sends the metadata log to this node only at that "
                    + "address: stop the process that holds port " + port + ", then start the broker again");
            taken.initCause(e);
            throw taken;
        }
        return kept;
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
