package io.runnel.it.groups.classic;

import io.runnel.it.KafkaEndpoint;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;

/**
 * A group member on its own thread: processes what it polls, then commits it (commitSync), and commits its progress
 * when partitions are revoked. Everything it processes and commits is logged with a global sequence number, so a test
 * can check that no committed record is lost and that records seen twice were past the last commit.
 */
final class GroupWorker implements AutoCloseable {
    /** One processed record or one successful commit, in global order. */
    record Event(long seq, String worker, TopicPartition tp, long offset, boolean commit) {
    }

    static final AtomicLong SEQ = new AtomicLong();

    final String name;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Thread thread;
    private volatile boolean running = true;
    final Set<TopicPartition> owned = ConcurrentHashMap.newKeySet();
    final ConcurrentLinkedQueue<Event> events = new ConcurrentLinkedQueue<>();
    private final Map<TopicPartition, Long> uncommitted = new HashMap<>();
    volatile int generation = -1;
    volatile String memberId = "";

    GroupWorker(KafkaEndpoint endpoint, String name, String group, String topic, Properties overrides) {
        this.name = name;
        Properties props = new Properties();
        props.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        props.put(ConsumerConfig.GROUP_PROTOCOL_CONFIG, "classic");
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, name);
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "50");
        props.putAll(overrides);
        consumer = endpoint.consumer(props);
        thread = new Thread(() -> run(topic), "worker-" + name);
        thread.start();
    }

    private void run(String topic) {
        try {
            consumer.subscribe(List.of(topic), new ConsumerRebalanceListener() {
                @Override
                public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                    commit();
                    owned.removeAll(partitions);
                }

                @Override
                public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                    owned.addAll(partitions);
                }

                @Override
                public void onPartitionsLost(Collection<TopicPartition> partitions) {
                    partitions.forEach(uncommitted::remove);
                    owned.removeAll(partitions);
                }
            });
            while (running) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                    TopicPartition tp = new TopicPartition(record.topic(), record.partition());
                    events.add(new Event(SEQ.incrementAndGet(), name, tp, record.offset(), false));
                    uncommitted.put(tp, record.offset() + 1);
                }
                commit();
                generation = consumer.groupMetadata().generationId();
                memberId = consumer.groupMetadata().memberId();
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
            offsets.forEach((tp, o) -> events.add(new Event(SEQ.incrementAndGet(), name, tp, o.offset(), true)));
            uncommitted.clear();
        } catch (KafkaException e) {
            // A rebalance took the partitions: what was not committed may be processed again, as the test allows.
            uncommitted.clear();
        }
    }

    /** Leaves the group (LeaveGroup) and stops. */
    @Override
    public void close() throws InterruptedException {
        running = false;
        consumer.wakeup();
        thread.join(60_000);
    }
}
