package io.runnel.metadata.quorum;

import io.runnel.metadata.ElectionLatency;
import org.apache.ratis.metrics.MetricRegistries;
import org.apache.ratis.metrics.MetricRegistryInfo;
import org.apache.ratis.metrics.RatisMetrics;
import org.apache.ratis.metrics.impl.RatisMetricRegistryImpl;
import org.apache.ratis.protocol.RaftGroupMemberId;
import org.apache.ratis.server.metrics.LeaderElectionMetrics;
import org.apache.ratis.thirdparty.com.codahale.metrics.Snapshot;
import org.apache.ratis.thirdparty.com.codahale.metrics.Timer;

import java.util.concurrent.TimeUnit;

/**
 * Reads a member's election times from Ratis' own leader election metrics: Ratis times each election it runs, from
 * the member's candidacy to its end (leader, or a follower of another), which is what KRaft's election-latency
 * measures; the state machine cannot, as Ratis tells it of new leaders but never of an election's start.
 */
final class RatisElectionTimes {
    private static final double NANOS_PER_MILLI = TimeUnit.MILLISECONDS.toNanos(1);

    private RatisElectionTimes() {
    }

    static ElectionLatency of(RaftGroupMemberId member) {
        MetricRegistryInfo info = new MetricRegistryInfo(member.toString(),
                RatisMetrics.RATIS_APPLICATION_NAME_METRICS, LeaderElectionMetrics.RATIS_LEADER_ELECTION_METRICS,
                LeaderElectionMetrics.RATIS_LEADER_ELECTION_METRICS_DESC);
        return MetricRegistries.global().get(info)
                .filter(RatisMetricRegistryImpl.class::isInstance)
                .map(registry -> ((RatisMetricRegistryImpl) registry).getDropWizardMetricRegistry()
                        .getTimers((name, metric) -> name.endsWith(LeaderElectionMetrics.LEADER_ELECTION_TIME_TAKEN)))
                .flatMap(timers -> timers.values().stream().findFirst())
                .filter(timer -> timer.getCount() > 0)
                .map(Timer::getSnapshot)
                .map(RatisElectionTimes::latency)
                .orElse(ElectionLatency.NONE);
    }

    private static ElectionLatency latency(Snapshot snapshot) {
        return new ElectionLatency(snapshot.getMean() / NANOS_PER_MILLI, snapshot.getMax() / NANOS_PER_MILLI);
    }
}
