package io.runnel.bench;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The peak resident set size of a broker's JVMs (summed over its nodes) while a workload runs, sampled from /proc
 * every 100 ms. With the benchmark's {@code -Xms1g} the heap's share grows as G1 touches it, so the figure is what
 * the broker really occupies, not what it reserved.
 */
final class BrokerRss implements AutoCloseable {
    private static final long PERIOD_MS = 100;

    private final List<Long> pids;
    private final ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "broker-rss");
        t.setDaemon(true);
        return t;
    });
    private volatile double peakMib;

    private BrokerRss(List<Long> pids) {
        this.pids = List.copyOf(pids);
    }

    static BrokerRss sample(List<Long> pids) {
        BrokerRss rss = new BrokerRss(pids);
        rss.sampler.scheduleAtFixedRate(rss::poll, 0, PERIOD_MS, TimeUnit.MILLISECONDS);
        return rss;
    }

    private void poll() {
        double sum = 0;
        for (long pid : pids) {
            try {
                sum += ProcStats.rssMib(pid);
            } catch (IOException | RuntimeException gone) {
                return; // a node stopping: its last figure is already counted
            }
        }
        peakMib = Math.max(peakMib, sum);
    }

    double peakMib() {
        return peakMib;
    }

    @Override
    public void close() {
        sampler.shutdownNow();
        poll();
    }
}
