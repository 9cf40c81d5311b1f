package io.runnel.bench;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A workload of the single-broker suites run on a cluster of {@code nodes} brokers instead: every topic it creates
 * gets one replica per node, and {@code min.insync.replicas} is set as the brokers' default, which every topic
 * takes. Its figures are named as the workload's, followed by the cluster's shape.
 */
record ReplicatedWorkload(Workload workload, int nodes, int minInsyncReplicas) implements Workload {

    @Override
    public String name() {
        return workload.name() + shape();
    }

    @Override
    public Map<String, String> brokerConfig() {
        Map<String, String> config = new HashMap<>(workload.brokerConfig());
        config.put("min.insync.replicas", Integer.toString(minInsyncReplicas));
        return config;
    }

    @Override
    public List<Measurement> run(ClientTools tools, BrokerCluster broker, int repetition) throws Exception {
        return workload.run(tools, broker, repetition).stream().map(m -> new Measurement(m.workload() + shape(),
                m.broker(), m.repetition(), m.values(), m.loadAverage())).toList();
    }

    private String shape() {
        return ", " + nodes + " nodes (RF " + nodes + ", min.insync.replicas=" + minInsyncReplicas + ")";
    }
}
