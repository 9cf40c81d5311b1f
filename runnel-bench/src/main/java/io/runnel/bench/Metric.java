package io.runnel.bench;

import java.util.Locale;

/** A figure the benchmark reports, with how it is printed. */
enum Metric {
    RECORDS_PER_SEC("records/s", "%,.0f"),
    MIB_PER_SEC("MiB/s", "%,.1f"),
    BROKER_CPU_SECONDS_PER_GIB("broker CPU-s/GiB", "%.2f"),
    E2E_P50_US("e2e p50 µs", "%,.0f"),
    E2E_P99_US("e2e p99 µs", "%,.0f"),
    E2E_P999_US("e2e p99.9 µs", "%,.0f"),
    E2E_AVG_US("e2e avg µs", "%,.0f"),
    CLEANING_SECONDS("cleaning s", "%.1f"),
    RECORDS_CLEANED_PER_SEC("records cleaned/s", "%,.0f"),
    RECORDS_AFTER_CLEANING("records left", "%,.0f"),
    BROKER_CPU_SECONDS("broker CPU-s", "%.1f"),
    PEAK_HEAP_USED_MIB("peak heap used MiB (JMX)", "%,.0f"),
    REBALANCE_MEDIAN_MS("rebalance median ms", "%,.0f"),
    REBALANCE_MAX_MS("rebalance max ms", "%,.0f"),
    COMMITS_PER_SEC("commits/s", "%,.0f"),
    BROKER_CPU_US_PER_COMMIT("broker CPU µs/commit", "%,.0f"),
    BROKER_PEAK_RSS_MIB("broker peak RSS MiB", "%,.0f");

    final String label;
    private final String format;

    Metric(String label, String format) {
        this.label = label;
        this.format = format;
    }

    String format(double value) {
        return String.format(Locale.ROOT, format, value);
    }
}
