package io.runnel.registry.leader;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This instance's membership in the registry instances' consumer group ({@code schema.registry.group.id}), through
 * which one of them is elected leader ({@link LeaderAssignor}). One thread polls the group's consumer for as long as
 * the registry runs, so the coordinator keeps it a member; closing leaves the group, and the others elect another
 * leader at once.
 */
public final class LeaderElection implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LeaderElection.class);
    private static final Duration POLL = Duration.ofMillis(200);

    /**
     * The outcome of a rebalance: the leader's URL (null when none is eligible), whether it is this instance, and
     * the group generation that elected it (a new leadership has a new generation).
     */
    public record Leader(String url, boolean self, int generation) {
    }

    private final String groupId;
    private final boolean eligible;
    private final Map<String, Object> clientProperties;
    private final String topic;
    private volatile String url;
    private volatile KafkaConsumer<byte[], byte[]> consumer;
    private volatile Thread member;
    private volatile boolean closed;
    /** Completed with the current outcome; replaced by an incomplete one while a rebalance runs. Guarded by this. */
    private CompletableFuture<Leader> leader = new CompletableFuture<>();

    /** {@code topic} is the one the group subscribes to (nothing is read from it: no partition is assigned). */
    public LeaderElection(Map<String, Object> clientProperties, String groupId, boolean eligible, String topic) {
        this.clientProperties = clientProperties;
        this.groupId = groupId;
        this.eligible = eligible;
        this.topic = topic;
    }

    /** Joins the group as the instance other instances reach at {@code url} (scheme, host and port). */
    public synchronized void start(String url) {
        this.url = url;
        consumer = new KafkaConsumer<>(consumerProperties(), new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
        member = new Thread(this::pollForever, "schema-registry-leader-election");
        member.setDaemon(true);
        member.start();
    }

    /** The leader once the group has elected one; completes exceptionally after {@code timeout}. */
    public synchronized CompletableFuture<Leader> leader(Duration timeout) {
        return leader.copy().orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The leader known now, or null during a rebalance. */
    public synchronized Leader current() {
        return leader.getNow(null);
    }

    /** How the other instances reach this one (null until started). */
    public String url() {
        return url;
    }

    boolean eligible() {
        return eligible;
    }

    String groupId() {
        return groupId;
    }

    /** The assignor's report of a completed rebalance. */
    synchronized void elected(String leaderUrl, boolean self, int generation) {
        Leader outcome = new Leader(leaderUrl, self, generation);
        if (!leader.complete(outcome)) {
            leader = CompletableFuture.completedFuture(outcome);
        }
        LOG.info("Schema registry group {} generation {}: {}", groupId, generation,
                leaderUrl == null ? "no eligible leader" : self ? "this instance (" + url + ") leads"
                        : "the leader is " + leaderUrl);
    }

    /** A rebalance has begun: until it ends no instance is known to lead, so this one stops writing. */
    private synchronized void rebalancing() {
        if (leader.isDone()) {
            leader = new CompletableFuture<>();
        }
    }

    private void pollForever() {
        try {
            consumer.subscribe(List.of(topic), new ConsumerRebalanceListener() {
                @Override
                public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                    rebalancing();
                }

                @Override
                public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                    // the assignor has reported the outcome
                }
            });
            while (!closed) {
                consumer.poll(POLL);
            }
        } catch (WakeupException closing) {
            // close() woke the poll
        } catch (RuntimeException e) {
            LOG.error("The schema registry left its group {}: it serves reads and refuses writes", groupId, e);
            rebalancing();
        } finally {
            // Leaving the group (rather than waiting out the session) lets the others elect a leader now.
            consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
        }
    }

    private Map<String, Object> consumerProperties() {
        Map<String, Object> p = new HashMap<>(clientProperties);
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "schema-registry-election");
        p.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        // A client-side assignor needs the classic protocol: the consumer protocol assigns on the broker.
        p.put(ConsumerConfig.GROUP_PROTOCOL_CONFIG, "classic");
        p.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, LeaderAssignor.class.getName());
        p.put(LeaderAssignor.ELECTION_CONFIG, this);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        // A leader that vanishes without leaving is replaced within ten seconds; one that leaves, within a heartbeat.
        p.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, "10000");
        p.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, "1000");
        return p;
    }

    @Override
    public void close() {
        closed = true;
        Thread running = member;
        if (running == null) {
            return;
        }
        consumer.wakeup();
        try {
            running.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
