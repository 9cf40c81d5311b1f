package io.runnel.broker.metrics;

import com.codahale.metrics.Gauge;
import com.codahale.metrics.Timer;
import io.runnel.storage.LogListener;
import io.runnel.storage.PartitionLog;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Kafka's {@code kafka.log:type=Log} gauges of each partition log (LogEndOffset, LogStartOffset, Size,
 * NumLogSegments, tagged topic and partition), registered when the log is loaded or created and removed when it is
 * deleted. Each reads the log when scraped; nothing is counted on the append path. Also Kafka's
 * {@code kafka.log:type=LogFlushStats,name=LogFlushRateAndTimeMs}, timed on the flushing thread.
 */
public final class LogMetrics implements LogListener {
    private static final String DOMAIN = "kafka.log";
    private static final String TYPE = "Log";

    private record LogGauge(String name, Function<PartitionLog, Number> value) {
    }

    private static final List<LogGauge> GAUGES = List.of(
            new LogGauge("LogEndOffset", PartitionLog::logEndOffset),
            new LogGauge("LogStartOffset", PartitionLog::logStartOffset),
            new LogGauge("Size", PartitionLog::size),
            new LogGauge("NumLogSegments", PartitionLog::numberOfSegments));

    private final BrokerMetrics metrics;
    /** Kafka's {@code kafka.log:type=LogFlushStats,name=LogFlushRateAndTimeMs}: each flush that wrote something. */
    private final Timer flushes;

    public LogMetrics(BrokerMetrics metrics) {
        this.metrics = metrics;
        this.flushes = metrics.timer(KafkaMetricName.of(DOMAIN, "LogFlushStats", "LogFlushRateAndTimeMs"));
    }

    @Override
    public void onLogFlushed(long nanos) {
        flushes.update(nanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void onLogOpened(PartitionLog log) {
        for (LogGauge gauge : GAUGES) {
            metrics.gauge(name(gauge, log), (Gauge<Number>) () -> gauge.value.apply(log));
        }
    }

    @Override
    public void onLogGone(PartitionLog log) {
        GAUGES.forEach(gauge -> metrics.remove(name(gauge, log)));
    }

    private static String name(LogGauge gauge, PartitionLog log) {
        return KafkaMetricName.of(DOMAIN, TYPE, gauge.name, "topic", log.topicPartition().topic(),
                "partition", Integer.toString(log.topicPartition().partition()));
    }
}
