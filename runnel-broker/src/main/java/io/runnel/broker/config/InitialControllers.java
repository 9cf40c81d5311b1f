package io.runnel.broker.config;

import java.net.InetSocketAddress;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.Uuid;

/**
 * The first voters of a dynamic metadata quorum, as {@code runnel storage format} takes them: kafka-storage.sh's
 * {@code --initial-controllers id@host:port:directoryId,...} or {@code --standalone} (this controller alone). A
 * controller that is one of them gets the named directory id in its metadata directory's meta.properties.
 */
public record InitialControllers(Map<Integer, InetSocketAddress> voters, Map<Integer, Uuid> directoryIds) {
    public InitialControllers {
        voters = Map.copyOf(voters);
        directoryIds = Map.copyOf(directoryIds);
    }

    /** Parses {@code id@host:port:directoryId} entries separated by commas; the message names what is wrong. */
    public static InitialControllers parse(String list) {
        Map<Integer, InetSocketAddress> voters = new TreeMap<>();
        Map<Integer, Uuid> directoryIds = new TreeMap<>();
        for (String entry : list.split(",")) {
            String voter = entry.strip();
            int at = voter.indexOf('@');
            int lastColon = voter.lastIndexOf(':');
            int portColon = lastColon < 0 ? -1 : voter.lastIndexOf(':', lastColon - 1);
            if (at < 1 || portColon <= at + 1) {
                throw invalid(voter, "expected id@host:port:directoryId");
            }
            int id;
            int port;
            Uuid directoryId;
            try {
                id = Integer.parseInt(voter.substring(0, at));
                port = Integer.parseInt(voter.substring(portColon + 1, lastColon));
                directoryId = Uuid.fromString(voter.substring(lastColon + 1));
            } catch (IllegalArgumentException e) {
                throw invalid(voter, "expected id@host:port:directoryId (" + e.getMessage() + ")");
            }
            if (id < 0 || port < 1 || port > 65535) {
                throw invalid(voter, "the node id must be 0 or more and the port 1 to 65535");
            }
            if (voters.put(id, InetSocketAddress.createUnresolved(voter.substring(at + 1, portColon), port)) != null) {
                throw invalid(voter, "node " + id + " is named twice");
            }
            directoryIds.put(id, directoryId);
        }
        return new InitialControllers(voters, directoryIds);
    }

    /** This controller alone, at its controller listener, with a fresh directory id. */
    public static InitialControllers standalone(BrokerConfig config) {
        if (!config.processRoles().contains("controller")) {
            throw new IllegalArgumentException("--standalone formats a controller, but node " + config.nodeId()
                    + " has process.roles=" + String.join(",", config.processRoles()));
        }
        return new InitialControllers(Map.of(config.nodeId(), config.controllerEndpoint()),
                Map.of(config.nodeId(), Uuid.randomUuid()));
    }

    private static IllegalArgumentException invalid(String voter, String why) {
        return new IllegalArgumentException("--initial-controllers: " + voter + ": " + why);
    }
}
