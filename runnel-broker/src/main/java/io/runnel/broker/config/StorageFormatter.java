package io.runnel.broker.config;

import io.runnel.storage.MetaProperties;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.InconsistentClusterIdException;

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
        checkClusterId(clusterId);
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
        for (Path dir : unformatted) {
            MetaProperties.write(dir, clusterId, c.nodeId(), Uuid.randomUuid());
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
