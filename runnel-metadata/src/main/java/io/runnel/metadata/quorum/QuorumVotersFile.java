package io.runnel.metadata.quorum;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The metadata quorum's voters as this node last saw them committed, one {@code id@host:port} per line in
 * {@code <metadata dir>/quorum-voters}. {@code runnel storage format --standalone | --initial-controllers} writes the
 * initial voters there, and the node rewrites it at every voter change it applies; a node without
 * {@code controller.quorum.voters} starts with these voters, as a Kafka node reads them from its own log, so that
 * every controller of a dynamic quorum can restart at once without asking the others first.
 */
public final class QuorumVotersFile {
    static final String NAME = "quorum-voters";

    private QuorumVotersFile() {
    }

    /** The voters in {@code metadataDir}, if the file is there. */
    public static Optional<Map<Integer, InetSocketAddress>> read(Path metadataDir) throws IOException {
        Path file = metadataDir.resolve(NAME);
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        Map<Integer, InetSocketAddress> voters = new TreeMap<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            String voter = line.strip();
            int at = voter.indexOf('@');
            if (voter.isEmpty() || voter.startsWith("#")) {
                continue;
            }
            if (at < 1) {
                throw new IOException(file + " holds '" + voter + "', not id@host:port");
            }
            try {
                voters.put(Integer.parseInt(voter.substring(0, at)), RatisMetadataLog.address(voter.substring(at + 1)));
            } catch (RuntimeException e) {
                throw new IOException(file + " holds '" + voter + "', not id@host:port", e);
            }
        }
        if (voters.isEmpty()) {
            throw new IOException(file + " names no voter");
        }
        return Optional.of(voters);
    }

    /** Replaces the file in {@code metadataDir} with {@code voters}, atomically. */
    public static void write(Path metadataDir, Map<Integer, InetSocketAddress> voters) throws IOException {
        String text = new TreeMap<>(voters).entrySet().stream()
                .map(e -> e.getKey() + "@" + e.getValue().getHostString() + ":" + e.getValue().getPort())
                .collect(Collectors.joining("\n", "# The metadata quorum's voters, as this node last saw them\n", "\n"));
        Files.createDirectories(metadataDir);
        Path tmp = metadataDir.resolve(NAME + ".tmp");
        Files.writeString(tmp, text, StandardCharsets.UTF_8);
        Files.move(tmp, metadataDir.resolve(NAME), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
