package io.runnel.it;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Three brokers in racks rack-1, rack-2 and rack-3 with KIP-392's {@code RackAwareReplicaSelector}, and a topic of one
 * partition led by node 1 with its followers on nodes 2 and 3, filled with numbered records: where consumers in each
 * rack read from.
 */
public final class ThreeRacks {
    public static final int RECORDS = 1000;
    public static final int VALUE_BYTES = 1024;
    private static final Duration WAIT = Duration.ofSeconds(60);

    private ThreeRacks() {
    }

    /** Starts the cluster and writes {@link #RECORDS} records to {@code topic}, every replica in the ISR. */
    public static RunnelCluster start(String topic) throws Exception {
        RunnelCluster.Builder builder = RunnelCluster.builder().nodes(3)
                .brokerProperty("replica.selector.class", "org.apache.kafka.common.replica.RackAwareReplicaSelector");
        for (int node = 1; node <= 3; node++) {
            builder.nodeProperty(node, "broker.rack", "rack-" + node);
        }
        RunnelCluster cluster = builder.start();
        try (Admin admin = cluster.admin()) {
            admin.createTopics(List.of(new NewTopic(topic, Map.of(0, List.of(1, 2, 3))))).all().get();
            Await.awaitCondition(WAIT, () -> isr(admin, topic) == 3, "a full ISR");
        }
        Properties props = new Properties();
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<byte[], byte[]> producer = cluster.producer(props)) {
            for (int i = 0; i < RECORDS; i++) {
                producer.send(new ProducerRecord<>(topic, value(i)));
            }
        }
        return cluster;
    }

    /** Record {@code i}'s value: its number, then letters up to {@link #VALUE_BYTES}. */
    public static byte[] value(int i) {
        byte[] value = new byte[VALUE_BYTES];
        Arrays.fill(value, (byte) ('a' + i % 26));
        byte[] index = Integer.toString(i).getBytes(StandardCharsets.UTF_8);
        System.arraycopy(index, 0, value, 0, index.length);
        return value;
    }

    private static int isr(Admin admin, String topic) {
        try {
            return admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions().get(0).isr().size();
        } catch (Exception e) {
            return 0;
        }
    }
}
