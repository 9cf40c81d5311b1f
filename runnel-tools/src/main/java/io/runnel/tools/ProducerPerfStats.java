package io.runnel.tools;

import java.io.PrintWriter;
import java.util.Arrays;

/**
 * The figures of a producer performance run, printed as kafka-producer-perf-test.sh prints them: a progress line
 * per reporting interval and a summary with latency percentiles. Latencies are sampled (at most ~500,000 kept).
 * Fed from the producer's callback thread only.
 */
final class ProducerPerfStats {
    private static final int MAX_SAMPLES = 500_000;

    private final PrintWriter out;
    private final boolean steadyState;
    private final long reportingIntervalMs;
    private final long start = System.currentTimeMillis();
    private final int[] latencies;
    private final long sampling;
    private boolean quiet;
    private long iteration;
    private int samples;
    private long count;
    private long bytes;
    private int maxLatency;
    private long totalLatency;
    private long windowStart = start;
    private long windowCount;
    private int windowMaxLatency;
    private long windowTotalLatency;
    private long windowBytes;

    ProducerPerfStats(PrintWriter out, long numRecords, long reportingIntervalMs, boolean steadyState) {
        this.out = out;
        this.reportingIntervalMs = reportingIntervalMs;
        this.steadyState = steadyState;
        this.sampling = Math.max(1, numRecords / Math.min(numRecords, MAX_SAMPLES));
        this.latencies = new int[(int) (numRecords / sampling) + 1];
    }

    /** Stops the progress lines (the warm-up's figures once the steady state is measured apart). */
    void quiet() {
        quiet = true;
    }

    void record(int latencyMs, int recordBytes, long nowMs) {
        count++;
        bytes += recordBytes;
        totalLatency += latencyMs;
        maxLatency = Math.max(maxLatency, latencyMs);
        windowCount++;
        windowBytes += recordBytes;
        windowTotalLatency += latencyMs;
        windowMaxLatency = Math.max(windowMaxLatency, latencyMs);
        if (iteration % sampling == 0 && samples < latencies.length) {
            latencies[samples++] = latencyMs;
        }
        iteration++;
        if (nowMs - windowStart >= reportingIntervalMs) {
            if (steadyState && count == windowCount) {
                out.println("In steady state.");
            }
            if (!quiet) {
                printWindow(nowMs);
            }
            windowStart = nowMs;
            windowCount = 0;
            windowMaxLatency = 0;
            windowTotalLatency = 0;
            windowBytes = 0;
        }
    }

    private void printWindow(long nowMs) {
        long elapsed = Math.max(1, nowMs - windowStart);
        out.printf("%d records sent, %.1f records/sec (%.2f MB/sec), %.1f ms avg latency, %.1f ms max latency.%n",
                windowCount, 1000.0 * windowCount / elapsed, 1000.0 * windowBytes / elapsed / (1024.0 * 1024.0),
                windowTotalLatency / (double) windowCount, (double) windowMaxLatency);
        out.flush();
    }

    void printTotal() {
        long elapsed = Math.max(1, System.currentTimeMillis() - start);
        Arrays.sort(latencies, 0, samples);
        out.printf("%d%s records sent, %f records/sec (%.2f MB/sec), %.2f ms avg latency, %.2f ms max latency, "
                        + "%d ms 50th, %d ms 95th, %d ms 99th, %d ms 99.9th.%n",
                count, steadyState ? " steady state" : "", 1000.0 * count / elapsed,
                1000.0 * bytes / elapsed / (1024.0 * 1024.0), totalLatency / (double) count, (double) maxLatency,
                percentile(0.5), percentile(0.95), percentile(0.99), percentile(0.999));
        out.flush();
    }

    private int percentile(double fraction) {
        return samples == 0 ? 0 : latencies[(int) (fraction * samples)];
    }
}
