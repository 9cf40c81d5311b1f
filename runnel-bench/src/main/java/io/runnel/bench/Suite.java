package io.runnel.bench;

import java.util.Locale;

/** Which workloads a run measures: {@code --suite core|compaction|groups|cluster|transactions|security|all}. */
enum Suite {
    /** Produce, consume and end-to-end latency (the original benchmark). */
    CORE,
    /** Produce to a compacted topic, and the log cleaner's speed and heap. */
    COMPACTION,
    /** Rebalance latency and offset commit throughput of consumer groups. */
    GROUPS,
    /** Produce, consume and end-to-end latency on three nodes, every topic replicated to all three. */
    CLUSTER,
    /** Transactional produce (100- and 1,000-record transactions) and read_committed consume, one node and three. */
    TRANSACTIONS,
    /** Produce and consume with the clients over SSL and over SASL_SSL (PLAIN), one node. */
    SECURITY,
    ALL;

    boolean includes(Suite suite) {
        return this == ALL || this == suite;
    }

    static Suite parse(String name) {
        return valueOf(name.trim().toUpperCase(Locale.ROOT));
    }
}
