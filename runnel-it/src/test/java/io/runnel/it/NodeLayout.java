package io.runnel.it;

import io.runnel.testkit.FreePorts;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Where one test node listens and stores its data, the roles it plays ({@code process.roles}: broker,controller,
 * broker or controller), and the server.properties that say so.
 */
record NodeLayout(int nodeId, String roles, int brokerPort, int controllerPort, Path logDir) {
    static final String COMBINED = "broker,controller";

    static NodeLayout withFreePorts(int nodeId, Path logDir) {
        return withFreePorts(nodeId, COMBINED, logDir);
    }

    static NodeLayout withFreePorts(int nodeId, String roles, Path logDir) {
        return new NodeLayout(nodeId, roles, FreePorts.pick(), FreePorts.pick(), logDir);
    }

    boolean broker() {
        return roles.contains("broker");
    }

    boolean controller() {
        return roles.contains("controller");
    }

    /** The nodes with the controller role are the voters. */
    static String quorumVoters(List<NodeLayout> nodes) {
        return nodes.stream().filter(NodeLayout::controller)
                .map(n -> n.nodeId() + "@127.0.0.1:" + n.controllerPort())
                .collect(Collectors.joining(","));
    }

    Map<String, String> brokerProperties(List<NodeLayout> cluster, Map<String, String> overrides) {
        String internalReplication = Integer.toString(Math.min(3, (int) cluster.stream().filter(NodeLayout::broker).count()));
        Map<String, String> props = new LinkedHashMap<>();
        props.put("node.id", Integer.toString(nodeId));
        props.put("process.roles", roles);
        String broker = "PLAINTEXT://127.0.0.1:" + brokerPort;
        String controller = "CONTROLLER://127.0.0.1:" + controllerPort;
        props.put("listeners", broker() && controller() ? broker + "," + controller : broker() ? broker : controller);
        if (broker()) {
            props.put("advertised.listeners", broker);
        }
        props.put("controller.listener.names", "CONTROLLER");
        props.put("listener.security.protocol.map", "CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT");
        props.put("inter.broker.listener.name", "PLAINTEXT");
        props.put("controller.quorum.voters", quorumVoters(cluster));
        props.put("log.dirs", logDir.toString());
        props.put("num.partitions", "1");
        props.put("offsets.topic.replication.factor", internalReplication);
        props.put("transaction.state.log.replication.factor", internalReplication);
        props.put("transaction.state.log.min.isr", "1");
        props.put("group.initial.rebalance.delay.ms", "0");
        props.putAll(overrides);
        return props;
    }
}
