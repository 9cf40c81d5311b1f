package io.runnel.it.groups.consumer;

import io.runnel.it.KafkaEndpoint;
import io.runnel.it.groups.GroupMember;
import java.io.FileWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.Collection;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;

/**
 * A {@code group.protocol=consumer} {@link GroupMember} that logs to a writer "a p" / "v p" when partition p is
 * assigned / revoked, "r p o t" per processed record, "c p o t" after each successful commit (t: System.nanoTime, one
 * clock for every JVM of the machine) and "x" after a failed one, so a test can check ownership, that nothing
 * committed is lost and that records are processed twice only past the last commit. Runs in a test thread or as a
 * child JVM's main.
 */
public final class ConsumerMember implements GroupMember.Events, Runnable {
    private final GroupMember member;
    private final Writer log;

    ConsumerMember(String bootstrap, String group, String clientId, String topic, Writer log) {
        KafkaEndpoint endpoint = () -> bootstrap;
        this.log = log;
        this.member = new GroupMember(endpoint, group, "consumer", clientId, topic, new Properties(), this);
    }

    /** Child JVM entry point. Arguments: bootstrap servers, group, client id, topic, log file. */
    public static void main(String[] args) throws IOException {
        try (Writer log = new FileWriter(args[4])) {
            new ConsumerMember(args[0], args[1], args[2], args[3], log).run();
        }
    }

    @Override
    public void run() {
        member.run();
    }

    @Override
    public void assigned(Collection<TopicPartition> partitions) {
        partitions.forEach(tp -> write("a " + tp.partition()));
    }

    @Override
    public void revoked(Collection<TopicPartition> partitions) {
        partitions.forEach(tp -> write("v " + tp.partition()));
    }

    @Override
    public void processed(ConsumerRecord<byte[], byte[]> record) {
        write("r " + record.partition() + " " + record.offset() + " " + System.nanoTime());
    }

    @Override
    public void committed(TopicPartition tp, long nextOffset) {
        write("c " + tp.partition() + " " + nextOffset + " " + System.nanoTime());
    }

    @Override
    public void commitFailed(KafkaException e) {
        write("x " + e.getClass().getSimpleName());
    }

    @Override
    public void polled(ConsumerGroupMetadata metadata) {
    }

    private void write(String line) {
        try {
            synchronized (log) {
                log.write(line + "\n");
                log.flush();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Leaves the group (heartbeat with epoch -1 on close) and stops. */
    void stop() {
        member.stop();
    }
}
