package io.runnel.broker.replica;

import com.codahale.metrics.Meter;
import io.runnel.broker.metrics.BrokerMetrics;
import io.runnel.metadata.MetadataImage;
import io.runnel.metadata.TopicImage;
import io.runnel.metadata.config.DynamicBrokerConfigDef;
import io.runnel.metadata.config.ThrottledReplicas;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;

/**
 * Kafka's replication throttles on this broker: the replicas named by a topic's
 * {@code leader.replication.throttled.replicas} (as {@code partition:this broker}) are served to followers outside
 * the ISR at no more than {@code leader.replication.throttled.rate} bytes per second, and those named by
 * {@code follower.replication.throttled.replicas} are fetched by this broker, while outside the ISR, at no more than
 * {@code follower.replication.throttled.rate}; replicas moving between its log dirs are copied at no more than
 * {@code replica.alter.log.dirs.io.max.bytes.per.second}. A rate is this broker's dynamic config, else the
 * cluster-wide one.
 *
 * <p>The bytes each throttle counted are Kafka's {@code byte-rate} of {@code kafka.server:type=LeaderReplication},
 * {@code FollowerReplication} and {@code AlterLogDirsReplication}: replication traffic that is subject to a throttle.
 */
public final class ReplicationThrottles {
    private record Throttled(ThrottledReplicas leader, ThrottledReplicas follower) {
    }

    private final int brokerId;
    private volatile Map<String, Throttled> topics = Map.of();
    private volatile ByteRateLimiter leaderRate = ByteRateLimiter.UNLIMITED;
    private volatile ByteRateLimiter followerRate = ByteRateLimiter.UNLIMITED;
    private volatile ByteRateLimiter logDirMoveRate = ByteRateLimiter.UNLIMITED;
    private final Meter leaderBytes;
    private final Meter followerBytes;
    private final Meter logDirMoveBytes;

    ReplicationThrottles(int brokerId, BrokerMetrics metrics) {
        this.brokerId = brokerId;
        this.leaderBytes = byteRate(metrics, "LeaderReplication");
        this.followerBytes = byteRate(metrics, "FollowerReplication");
        this.logDirMoveBytes = byteRate(metrics, "AlterLogDirsReplication");
    }

    private static Meter byteRate(BrokerMetrics metrics, String type) {
        Meter bytes = new Meter();
        metrics.kafkaMetrics("kafka.server:type=" + type).number("byte-rate", bytes::getOneMinuteRate);
        return bytes;
    }

    /** Takes the throttles of {@code image}; a rate that changes starts with a full bucket. In memory only. */
    void update(MetadataImage image) {
        Map<String, Throttled> throttled = new HashMap<>();
        for (TopicImage topic : image.topicsByName().values()) {
            Map<String, String> configs = image.topicConfigs(topic.name());
            String leader = configs.get(ThrottledReplicas.LEADER_CONFIG);
            String follower = configs.get(ThrottledReplicas.FOLLOWER_CONFIG);
            if (leader != null || follower != null) {
                throttled.put(topic.name(), new Throttled(ThrottledReplicas.parse(ThrottledReplicas.LEADER_CONFIG, leader),
                        ThrottledReplicas.parse(ThrottledReplicas.FOLLOWER_CONFIG, follower)));
            }
        }
        topics = Map.copyOf(throttled);
        leaderRate = limiter(leaderRate, rate(image, DynamicBrokerConfigDef.LEADER_REPLICATION_THROTTLED_RATE));
        followerRate = limiter(followerRate, rate(image, DynamicBrokerConfigDef.FOLLOWER_REPLICATION_THROTTLED_RATE));
        logDirMoveRate = limiter(logDirMoveRate,
                rate(image, DynamicBrokerConfigDef.REPLICA_ALTER_LOG_DIRS_IO_MAX_BYTES_PER_SECOND));
    }

    /**
     * Whether this broker, leading {@code partition}, must hold back its data from follower {@code follower} now: the
     * replica is throttled here, the follower is outside the ISR and the leader rate is used up.
     */
    public boolean holdsBackFrom(Partition partition, int follower) {
        return throttlesLeader(partition.topicPartition()) && !Partition.contains(partition.maximalIsr(), follower)
                && leaderRate.exceeded();
    }

    /** Counts {@code bytes} sent by this leader to a follower outside the ISR of a throttled replica. */
    public void recordLeaderBytes(Partition partition, int follower, long bytes) {
        if (throttlesLeader(partition.topicPartition()) && !Partition.contains(partition.maximalIsr(), follower)) {
            leaderRate.record(bytes);
            leaderBytes.mark(bytes);
        }
    }

    /** Whether this broker, following {@code partition} from outside its ISR, must not fetch it now. */
    boolean holdsBackFetch(Partition partition) {
        return throttlesFollower(partition) && followerRate.exceeded();
    }

    void recordFollowerBytes(Partition partition, long bytes) {
        if (throttlesFollower(partition)) {
            followerRate.record(bytes);
            followerBytes.mark(bytes);
        }
    }

    /** Whether copies of replicas moving between this broker's log dirs used up their rate: they wait. */
    boolean holdsBackLogDirMove() {
        return logDirMoveRate.exceeded();
    }

    void recordLogDirMoveBytes(long bytes) {
        logDirMoveRate.record(bytes);
        logDirMoveBytes.mark(bytes);
    }

    private boolean throttlesLeader(TopicPartition tp) {
        Throttled throttled = topics.get(tp.topic());
        return throttled != null && throttled.leader().contains(tp.partition(), brokerId);
    }

    private boolean throttlesFollower(Partition partition) {
        TopicPartition tp = partition.topicPartition();
        Throttled throttled = topics.get(tp.topic());
        return throttled != null && throttled.follower().contains(tp.partition(), brokerId)
                && !Partition.contains(partition.maximalIsr(), brokerId);
    }

    private long rate(MetadataImage image, String key) {
        String value = image.brokerConfigs(Integer.toString(brokerId)).get(key);
        if (value == null) {
            value = image.brokerConfigs("").get(key);
        }
        try {
            return value == null ? Long.MAX_VALUE : Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            return Long.MAX_VALUE; // refused by the controller's validation; never in the metadata
        }
    }

    private static ByteRateLimiter limiter(ByteRateLimiter current, long rate) {
        return current.bytesPerSecond() == rate ? current : new ByteRateLimiter(rate, System::nanoTime);
    }
}
