package io.runnel.bench;

/** The two brokers measured side by side, in the order each repetition runs them. */
enum BrokerKind {
    KAFKA("Kafka", "kafka.Kafka"),
    RUNNEL("Runnel", "io.runnel.tools.Runnel");

    final String label;
    final String mainClass;

    BrokerKind(String label, String mainClass) {
        this.label = label;
        this.mainClass = mainClass;
    }

    static BrokerKind parse(String name) {
        return valueOf(name.trim().toUpperCase(java.util.Locale.ROOT));
    }
}
