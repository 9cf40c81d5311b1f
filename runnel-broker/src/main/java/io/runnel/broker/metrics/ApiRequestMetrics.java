package io.runnel.broker.metrics;

import com.codahale.metrics.Histogram;
import com.codahale.metrics.Meter;
import org.apache.kafka.common.protocol.Errors;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The request metrics of one request name: its requests by version, its errors, and the times of Kafka's request
 * stages ({@link RequestTimes} says what each covers here). Histograms hold whole milliseconds, as Kafka's do.
 */
public final class ApiRequestMetrics {
    private static final Errors[] ERRORS = Errors.values();

    private final BrokerMetrics metrics;
    private final String request;
    private final AtomicReferenceArray<Meter> requestsByVersion;
    private final AtomicReferenceArray<Meter> errorsByCode = new AtomicReferenceArray<>(ERRORS.length);
    private final Histogram requestQueueTimeMs;
    private final Histogram localTimeMs;
    private final Histogram remoteTimeMs;
    private final Histogram responseQueueTimeMs;
    private final Histogram responseSendTimeMs;
    private final Histogram totalTimeMs;

    ApiRequestMetrics(BrokerMetrics metrics, String request, short latestVersion) {
        this.metrics = metrics;
        this.request = request;
        this.requestsByVersion = new AtomicReferenceArray<>(latestVersion + 1);
        this.requestQueueTimeMs = metrics.histogram(name("RequestQueueTimeMs"));
        this.localTimeMs = metrics.histogram(name("LocalTimeMs"));
        this.remoteTimeMs = metrics.histogram(name("RemoteTimeMs"));
        this.responseQueueTimeMs = metrics.histogram(name("ResponseQueueTimeMs"));
        this.responseSendTimeMs = metrics.histogram(name("ResponseSendTimeMs"));
        this.totalTimeMs = metrics.histogram(name("TotalTimeMs"));
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
    public void times(long requestQueueNanos, long localNanos, long remoteNanos, long responseQueueNanos,
                      long responseSendNanos, long totalNanos) {
        requestQueueTimeMs.update(ms(requestQueueNanos));
        localTimeMs.update(ms(localNanos));
        remoteTimeMs.update(ms(remoteNanos));
        responseQueueTimeMs.update(ms(responseQueueNanos));
        responseSendTimeMs.update(ms(responseSendNanos));
        totalTimeMs.update(ms(totalNanos));
    }

    private static long ms(long nanos) {
        return Math.max(0, Math.round(nanos / (double) TimeUnit.MILLISECONDS.toNanos(1)));
    }

    /** Starts timing a request of this name that just arrived (with the FetchConsumer or FetchFollower metrics). */
    public RequestTimes arrived(ApiRequestMetrics fetchFrom) {
        return new RequestTimes(this, fetchFrom, System.nanoTime());
    }
}
