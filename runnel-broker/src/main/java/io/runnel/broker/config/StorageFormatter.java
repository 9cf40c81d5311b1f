package io.runnel.broker.config;

import io.runnel.metadata.quorum.QuorumVotersFile;
import io.runnel.storage.MetaProperties;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.InconsistentClusterIdException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Prepares a node's directories: one {@code meta.properties} per log dir and in the metadata dir. */
public final class StorageFormatter {
    private StorageFormatter() {
    }

    /** Every log dir and the metadata dir hold a meta.properties. */
    public static boolean isFormatted(BrokerConfig c) {
        return directories(c).stream().allMatch(dir -> MetaProperties.read(dir).isPresent());
    }

    /**
     * Writes meta.properties (cluster id, node id, a fresh directory id) in each directory that lacks one.
     * A directory formatted for another cluster or node is an error unless {@code ignoreFormatted}, which leaves it as is.
     *
     * @return the directories formatted now
     */
    public static List<Path> format(BrokerConfig c, String clusterId, boolean ignoreFormatted) {
        return format(c, clusterId, ignoreFormatted, Optional.empty());
    }

    /**
     * As {@link #format(BrokerConfig, String, boolean)}, for a dynamic quorum whose first voters are {@code initial}:
     * a metadata directory formatted now records them ({@link QuorumVotersFile}) and, when this node is one of
     * them, takes the directory id they name for it.
     */
    public static List<Path> format(BrokerConfig c, String clusterId, boolean ignoreFormatted,
                                    Optional<InitialControllers> initial) {
        checkClusterId(clusterId);
        if (initial.isPresent() && c.hasStaticVoters()) {
            throw new IllegalArgumentException("controller.quorum.voters is set, so the quorum's voters are static: "
                    + "--standalone and --initial-controllers are for a quorum found through "
                    + "controller.quorum.bootstrap.servers");
        }
        List<Path> unformatted = new ArrayList<>();
        for (Path dir : directories(c)) {
            Optional<MetaProperties> existing = MetaProperties.read(dir);
            if (existing.isEmpty()) {
                unformatted.add(dir);
            } else if (!ignoreFormatted && (!existing.get().clusterId().equals(clusterId)
                    || existing.get().nodeId() != c.nodeId())) {
                throw new InconsistentClusterIdException("Log directory " + dir + " is already formatted for cluster "
                        + existing.get().clusterId() + ", node " + existing.get().nodeId()
                        + ". Use --ignore-formatted to leave it as is and format the others.");
            }
        }
        Path metadataDir = c.metadataLogDir();
        for (Path dir : unformatted) {
            Uuid directoryId = initial.filter(i -> dir.equals(metadataDir))
                    .map(i -> i.directoryIds().get(c.nodeId())).orElseGet(Uuid::randomUuid);
            MetaProperties.write(dir, clusterId, c.nodeId(), directoryId);
        }
        if (initial.isPresent() && unformatted.contains(metadataDir)) {
            try {
                QuorumVotersFile.write(metadataDir, initial.get().voters());
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot write the initial controllers in " + metadataDir, e);
            }
        }
        return unformatted;
    }

    /**
     * Checks that every directory is formatted, for this node, with one cluster id, and returns it; the
     * errors say what is wrong and how to fix it.
     */
    public static String checkFormatted(BrokerConfig c) {
        String found = null;
        for (Path dir : directories(c)) {
            Optional<MetaProperties> meta = MetaProperties.read(dir);
            if (meta.isEmpty()) {
                throw new IllegalStateException("No meta.properties found in " + dir
                        + ": format the storage first with `runnel storage format --cluster-id ID --config FILE`");
            }
            if (meta.get().nodeId() != c.nodeId()) {
                throw new IllegalStateException(dir + " was formatted for node.id " + meta.get().nodeId()
                        + ", but this node's node.id is " + c.nodeId());
            }
            if (found != null && !found.equals(meta.get().clusterId())) {
                throw new InconsistentClusterIdException(dir + " belongs to cluster " + meta.get().clusterId()
                        + ", other log dirs to cluster " + found);
            }
            found = meta.get().clusterId();
        }
        return found;
    }

    /** The cluster id of the first formatted directory, if any. */
    public static Optional<String> clusterId(BrokerConfig c) {
        return directories(c).stream().map(MetaProperties::read).flatMap(Optional::stream)
                .map(MetaProperties::clusterId).findFirst();
    }

    /** The log dirs and the metadata dir, each once. */
    public static Set<Path> directories(BrokerConfig c) {
        Set<Path> dirs = new LinkedHashSet<>(c.logDirs());
        dirs.add(c.metadataLogDir());
        return dirs;
    }

    private static void checkClusterId(String clusterId) {
        try {
            Uuid.fromString(clusterId);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Cluster ID string " + clusterId + " does not appear to be a valid UUID: "
                    + e.getMessage());
        }
    }
}
