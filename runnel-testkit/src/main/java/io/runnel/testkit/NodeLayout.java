package io.runnel.testkit;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * One node of a test cluster: broker and controller in one, its client listener on an ephemeral port (the broker
 * registers the port it bound), its controller listener on a picked port (the voters' addresses are fixed), and its
 * data under the cluster's temporary directory.
 */
record NodeLayout(int nodeId, int controllerPort, Path logDir) {

    static String quorumVoters(List<NodeLayout> nodes) {
        return nodes.stream().map(n -> n.nodeId() + "@127.0.0.1:" + n.controllerPort())
                .collect(Collectors.joining(","));
    }

    /** The node's server.properties: what a one-machine cluster needs, then the caller's overrides. */
    Map<String, String> properties(List<NodeLayout> cluster, Map<String, String> overrides) {
        String internalReplication = Integer.toString(Math.min(3, cluster.size()));
        Map<String, String> props = new LinkedHashMap<>();
        props.put("node.id", Integer.toString(nodeId));
        props.put("process.roles", "broker,controller");
        props.put("listeners", "PLAINTEXT://127.0.0.1:0,CONTROLLER://127.0.0.1:" + controllerPort);
        props.put("advertised.listeners", "PLAINTEXT://127.0.0.1:0");
        props.put("controller.listener.names", "CONTROLLER");
        props.put("listener.security.protocol.map", "CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT");
        props.put("inter.broker.listener.name", "PLAINTEXT");
        props.put("controller.quorum.voters", quorumVoters(cluster));
        props.put("log.dirs", logDir.toString());
        props.put("num.partitions", "1");
        props.put("offsets.topic.replication.factor", internalReplication);
        props.put("transaction.state.log.replication.factor", internalReplication);
        props.put("transaction.state.log.min.isr", "1");
        // A test's consumer group starts at once rather than after Kafka's 3 s wait for more members.
        props.put("group.initial.rebalance.delay.ms", "0");
        props.putAll(overrides);
        return props;
    }
}
