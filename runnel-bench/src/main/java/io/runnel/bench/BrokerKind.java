package io.runnel.bench;

import java.util.List;

/** The two brokers measured side by side, in the order each repetition runs them. */
enum BrokerKind {
    KAFKA("Kafka", "kafka.Kafka", List.of(), "kafka.tools.StorageTool", List.of()),
    RUNNEL("Runnel", "io.runnel.tools.Runnel", List.of("server"), "io.runnel.tools.Runnel", List.of("storage"));

    final String label;
    final String mainClass;
    /** Arguments before the server.properties file. */
    final List<String> serverArgs;
    /** The tool whose {@code format -t <cluster id> -c <server.properties>} formats a node's storage. */
    final String storageToolClass;
    final List<String> storageToolArgs;

    BrokerKind(String label, String mainClass, List<String> serverArgs, String storageToolClass,
            List<String> storageToolArgs) {
        this.label = label;
        this.mainClass = mainClass;
        this.serverArgs = serverArgs;
        this.storageToolClass = storageToolClass;
        this.storageToolArgs = storageToolArgs;
    }

    static BrokerKind parse(String name) {
        return valueOf(name.trim().toUpperCase(java.util.Locale.ROOT));
    }
}
