package io.runnel.bench;

import java.util.List;

/** A client tool's output and the broker CPU seconds spent while it ran. */
record ToolRun(List<String> output, double brokerCpuSeconds, String loadAverage) {
    private static final double BYTES_PER_GIB = 1024.0 * 1024 * 1024;

    double cpuSecondsPerGib(double bytes) {
        return brokerCpuSeconds / (bytes / BYTES_PER_GIB);
    }
}
