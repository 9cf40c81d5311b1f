package io.runnel.it.groups;

import io.runnel.it.KafkaEndpoint;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;

/**
 * A group member of either protocol: processes what it polls, then commits it (commitSync), and commits its progress
 * when partitions are revoked. It tells its {@link Events} what it owns, processes and commits, so that the tests of
 * both protocols check the same member with their own record of it.
 */
public final class GroupMember implements Runnable {
    /** What the member did, told from its polling thread. */
    public interface Events {
        void assigned(Collection<TopicPartition> partitions);

        /** Revoked, or lost (then without a commit of their progress). */
        void revoked(Collection<TopicPartition> partitions);

        void processed(ConsumerRecord<byte[], byte[]> record);

        void committed(TopicPartition tp, long nextOffset);

        void commitFailed(KafkaException e);

        /** After each poll and its commit. */
        void polled(ConsumerGroupMetadata metadata);
    }

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final String topic;
    private final Events events;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Map<TopicPartition, Long> uncommitted = new HashMap<>();

    /** group.protocol is {@code protocol} ("classic" or "consumer"); the overrides come last. */
    public GroupMember(KafkaEndpoint endpoint, String group, String protocol, String clientId, String topic,
                       Properties overrides, Events events) {
        Properties props = new Properties();
        props.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        props.put(ConsumerConfig.GROUP_PROTOCOL_CONFIG, protocol);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "50");
        props.putAll(overrides);
        this.consumer = endpoint.consumer(props);
        this.topic = topic;
        this.events = events;
    }

    @Override
    public void run() {
        try {
            consumer.subscribe(List.of(topic), new ConsumerRebalanceListener() {
                @Override
                public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                    commit();
                    events.revoked(partitions);
                }

                @Override
                public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                    events.assigned(partitions);
                }

                @Override
                public void onPartitionsLost(Collection<TopicPartition> partitions) {
                    partitions.forEach(uncommitted::remove);
                    events.revoked(partitions);
                }
            });
            while (running.get()) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                    events.processed(record);
                    uncommitted.put(new TopicPartition(record.topic(), record.partition()), record.offset() + 1);
                }
                commit();
                events.polled(consumer.groupMetadata());
            }
        } catch (WakeupException e) {
            // closing
        } finally {
            consumer.close();
        }
    }

    private void commit() {
        if (uncommitted.isEmpty()) {
            return;
        }
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        uncommitted.forEach((tp, next) -> offsets.put(tp, new OffsetAndMetadata(next)));
        try {
            consumer.commitSync(offsets);
            offsets.forEach((tp, o) -> events.committed(tp, o.offset()));
        } catch (KafkaException e) {
            // The partitions moved before the commit: what was not committed is processed again, as the tests allow.
            events.commitFailed(e);
        }
        uncommitted.clear();
    }

    /** Leaves the group (LeaveGroup, or a heartbeat with epoch -1) and stops: the loop ends and closes the consumer. */
    public void stop() {
        running.set(false);
        consumer.wakeup();
    }
}
