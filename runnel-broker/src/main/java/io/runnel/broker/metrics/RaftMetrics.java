package io.runnel.broker.metrics;

import com.codahale.metrics.Histogram;
import com.codahale.metrics.Meter;
import io.runnel.metadata.ElectionLatency;
import io.runnel.metadata.RaftEvents;
import io.runnel.metadata.RaftStatus;

import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

/**
 * Kafka's {@code kafka.server:type=raft-metrics} for the Ratis metadata quorum, as this member sees it:
 * current-leader, current-epoch (the Raft term), current-state, high-watermark (the commit index), log-end-offset,
 * commit-latency-avg/max (from a write of this member, leading, to its commit), append-records-rate/total
 * (records this member appended as leader), election-latency-avg/max (its recent elections, from its candidacy to
 * their end, as Ratis' own leader election metrics time them) and number-unknown-voter-connections, always 0: every
 * voter of a Ratis group is configured with its address. Reading them never touches the quorum's behaviour; each read
 * asks Ratis for its state.
 */
public final class RaftMetrics implements RaftEvents {
    static final String NAME = "kafka.server:type=raft-metrics";

    private final Histogram commitLatency;
    private final Meter appendedRecords;

    public RaftMetrics(BrokerMetrics metrics, Supplier<RaftStatus> status, Supplier<ElectionLatency> elections) {
        KafkaMetricsBean bean = metrics.kafkaMetrics(NAME);
        number(bean, "current-leader", status, RaftStatus::leaderId);
        number(bean, "current-epoch", status, RaftStatus::epoch);
        number(bean, "high-watermark", status, RaftStatus::highWatermark);
        number(bean, "log-end-offset", status, RaftStatus::logEndOffset);
        bean.text("current-state", () -> status.get().state());
        bean.number("number-unknown-voter-connections", () -> 0);
        bean.number("election-latency-avg", () -> elections.get().avgMs());
        bean.number("election-latency-max", () -> elections.get().maxMs());
        this.commitLatency = bean.avgAndMaxMs("commit-latency");
        this.appendedRecords = bean.rateAndTotal("append-records");
    }

    private static void number(KafkaMetricsBean bean, String name, Supplier<RaftStatus> status,
                               ToDoubleFunction<RaftStatus> value) {
        bean.number(name, () -> value.applyAsDouble(status.get()));
    }

    @Override
    public void committed(int records, long nanos) {
        commitLatency.update(nanos);
        if (records > 0) {
            appendedRecords.mark(records);
        }
    }
}
