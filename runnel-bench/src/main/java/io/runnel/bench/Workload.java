package io.runnel.bench;

import java.util.List;
import java.util.Map;

/** Something measured against a freshly started broker. */
interface Workload {
    String name();

    /** Brokers the workload runs on, each its own JVM; every topic gets one replica per node. One by default. */
    default int nodes() {
        return 1;
    }

    /** Server properties this workload needs, given to both brokers alike; none by default. */
    default Map<String, String> brokerConfig() {
        return Map.of();
    }

    /** How the measured clients connect, when not over PLAINTEXT; null by default. */
    default ClientSecurity security() {
        return null;
    }

    /** Runs against {@code broker} and returns one measurement per figure set (e.g. produce, then consume). */
    List<Measurement> run(ClientTools tools, BrokerCluster broker, int repetition) throws Exception;
}
