package io.runnel.it;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Where one test node listens and stores its data, and the server.properties that say so. */
record NodeLayout(int nodeId, int brokerPort, int controllerPort, Path logDir) {

    static NodeLayout withFreePorts(int nodeId, Path logDir) {
        return new NodeLayout(nodeId, FreePorts.pick(), FreePorts.pick(), logDir);
    }

    /** Every node of a test cluster runs both roles, so every node is a voter. */
    static String quorumVoters(List<NodeLayout> nodes) {
        return nodes.stream()
                .map(n -> n.nodeId() + "@127.0.0.1:" + n.controllerPort())
                .collect(Collectors.joining(","));
    }

    Map<String, String> brokerProperties(List<NodeLayout> cluster, Map<String, String> overrides) {
        String internalReplication = Integer.toString(Math.min(3, cluster.size()));
        Map<String, String> props = new LinkedHashMap<>();
        props.put("node.id", Integer.toString(nodeId));
        props.put("process.roles", "broker,controller");
        props.put("listeners", "PLAINTEXT://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:" + controllerPort);
        props.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + brokerPort);
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
