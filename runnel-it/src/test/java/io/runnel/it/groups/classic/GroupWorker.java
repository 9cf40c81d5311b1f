package io.runnel.it.groups.classic;

import io.runnel.it.KafkaEndpoint;
import io.runnel.it.groups.GroupMember;
import java.util.Collection;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;

/**
 * A classic {@link GroupMember} on its own thread. Everything it processes and commits is logged with a global
 * sequence number, so a test can check that no committed record is lost and that records seen twice were past the
 * last commit.
 */
final class GroupWorker implements GroupMember.Events, AutoCloseable {
    /** One processed record or one successful commit, in global order. */
    record Event(long seq, String worker, TopicPartition tp, long offset, boolean commit) {
    }

    static final AtomicLong SEQ = new AtomicLong();

    final String name;
    private final GroupMember member;
    private final Thread thread;
    final Set<TopicPartition> owned = ConcurrentHashMap.newKeySet();
    final ConcurrentLinkedQueue<Event> events = new ConcurrentLinkedQueue<>();
    volatile int generation = -1;
    volatile String memberId = "";

    GroupWorker(KafkaEndpoint endpoint, String name, String group, String topic, Properties overrides) {
        this.name = name;
        member = new GroupMember(endpoint, group, "classic", name, topic, overrides, this);
        thread = new Thread(member, "worker-" + name);
        thread.start();
    }

    @Override
    public void assigned(Collection<TopicPartition> partitions) {
        owned.addAll(partitions);
    }

    @Override
    public void revoked(Collection<TopicPartition> partitions) {
        owned.removeAll(partitions);
    }

    @Override
    public void processed(ConsumerRecord<byte[], byte[]> record) {
        TopicPartition tp = new TopicPartition(record.topic(), record.partition());
        events.add(new Event(SEQ.incrementAndGet(), name, tp, record.offset(), false));
    }

    @Override
    public void committed(TopicPartition tp, long nextOffset) {
        events.add(new Event(SEQ.incrementAndGet(), name, tp, nextOffset, true));
    }

    @Override
    public void commitFailed(KafkaException e) {
        // What was not committed may be processed again, as the tests allow.
    }

    @Override
    public void polled(ConsumerGroupMetadata metadata) {
        generation = metadata.generationId();
        memberId = metadata.memberId();
    }

    /** Leaves the group (LeaveGroup) and stops. */
    @Override
    public void close() throws InterruptedException {
        member.stop();
        thread.join(60_000);
    }
}
