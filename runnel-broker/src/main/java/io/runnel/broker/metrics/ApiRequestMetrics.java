package io.runnel.broker.metrics;

import com.codahale.metrics.Histogram;
import com.codahale.metrics.Meter;
import org.apache.kafka.common.protocol.Errors;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The request metrics of one request name. Times are Kafka's stages as they exist here: LocalTimeMs is the handler's
 * own work (until it returns its future, on the connection's event loop), RemoteTimeMs the wait after that (acks=all
 * replication, a fetch parked for data, the controller), TotalTimeMs both, from dispatch to a complete response.
 * Kafka's RequestQueueTimeMs, ResponseQueueTimeMs and ResponseSendTimeMs are left out: requests are not queued
 * between threads here, and the response is written by the same event loop right after. Histograms hold whole
 * milliseconds, as Kafka's do.
 */
public final class ApiRequestMetrics {
    private static final Errors[] ERRORS = Errors.values();

    private final BrokerMetrics metrics;
    private final String request;
    private final AtomicReferenceArray<Meter> requestsByVersion;
    private final AtomicReferenceArray<Meter> errorsByCode = new AtomicReferenceArray<>(ERRORS.length);
    private final Histogram totalTimeMs;
    private final Histogram localTimeMs;
    private final Histogram remoteTimeMs;

    ApiRequestMetrics(BrokerMetrics metrics, String request, short latestVersion) {
        this.metrics = metrics;
        this.request = request;
        this.requestsByVersion = new AtomicReferenceArray<>(latestVersion + 1);
        this.totalTimeMs = metrics.histogram(name("TotalTimeMs"));
        this.localTimeMs = metrics.histogram(name("LocalTimeMs"));
        this.remoteTimeMs = metrics.histogram(name("RemoteTimeMs"));
    }

    private String name(String name, String... tags) {
        String[] all = new String[tags.length + 2];
        all[0] = "request";
        all[1] = request;
        System.arraycopy(tags, 0, all, 2, tags.length);
        return KafkaMetricName.of(RequestMetrics.DOMAIN, RequestMetrics.TYPE, name, all);
    }

    /** RequestsPerSec,request=...,version=v. */
    public void request(short version) {
        if (version < 0 || version >= requestsByVersion.length()) {
            return; // answered UNSUPPORTED_VERSION: Kafka does not count it under a version either
        }
        Meter meter = requestsByVersion.get(version);
        if (meter == null) {
            meter = metrics.meter(name("RequestsPerSec", "version", Short.toString(version)));
            requestsByVersion.set(version, meter);
        }
        meter.mark();
    }

    /** ErrorsPerSec,request=...,error=NAME ({@code NONE} for successes), {@code count} times. */
    public void errors(Errors error, long count) {
        Meter meter = errorsByCode.get(error.ordinal());
        if (meter == null) {
            meter = metrics.meter(name("ErrorsPerSec", "error", error.name()));
            errorsByCode.set(error.ordinal(), meter);
        }
        meter.mark(count);
    }

    /** The stage times of one request, in nanoseconds. */
    public void times(long localNanos, long totalNanos) {
        long localMs = Math.round(localNanos / (double) TimeUnit.MILLISECONDS.toNanos(1));
        long totalMs = Math.round(totalNanos / (double) TimeUnit.MILLISECONDS.toNanos(1));
        localTimeMs.update(localMs);
        remoteTimeMs.update(Math.max(0, totalMs - localMs));
        totalTimeMs.update(totalMs);
    }
}
