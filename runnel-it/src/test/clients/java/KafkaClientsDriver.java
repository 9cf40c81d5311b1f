import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.AdminClient;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.ConsumerGroupListing;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Runs the compatibility scenario (io.runnel.it.compat.ClientScenario) with whichever kafka-clients version is on
 * the class path, from 2.1 on: launched as a single source file, it compiles against that version's API. Prints one
 * line per observation for the test to check.
 *
 * <p>Arguments: bootstrap topic group baseTimestamp records origin idempotence seekOffset [groupProtocol], where
 * idempotence is "default" (the version's own default) or "true", and groupProtocol, for 3.7 and later, sets the
 * group consumers' group.protocol.
 */
public final class KafkaClientsDriver {
    private static final Duration POLL = Duration.ofMillis(200);
    private static final long DEADLINE_MS = 60_000;
    private static String groupProtocol;

    public static void main(String[] args) throws Exception {
        String bootstrap = args[0];
        String topic = args[1];
        String group = args[2];
        long base = Long.parseLong(args[3]);
        int records = Integer.parseInt(args[4]);
        String origin = args[5];
        String idempotence = args[6];
        long seekOffset = Long.parseLong(args[7]);
        groupProtocol = args.length > 8 ? args[8] : null;
        int partitions = 2;

        Properties adminProps = new Properties();
        adminProps.put("bootstrap.servers", bootstrap);
        try (AdminClient admin = AdminClient.create(adminProps)) {
            admin.createTopics(Collections.singleton(new NewTopic(topic, partitions, (short) 1))).all().get();
            System.out.println("created " + topic);
            TopicDescription description = admin.describeTopics(Collections.singleton(topic)).all().get().get(topic);
            StringBuilder leaders = new StringBuilder("described " + topic + " " + description.partitions().size());
            description.partitions().forEach(p -> leaders.append(' ').append(p.leader().id()));
            System.out.println(leaders);
            if (admin.listTopics().names().get().contains(topic)) {
                System.out.println("listed " + topic);
            }
        }

        Properties producerProps = new Properties();
        producerProps.put("bootstrap.servers", bootstrap);
        if (!idempotence.equals("default")) {
            producerProps.put("enable.idempotence", idempotence);
        }
        try (KafkaProducer<String, String> producer =
                     new KafkaProducer<>(producerProps, new StringSerializer(), new StringSerializer())) {
            for (int i = 0; i < records; i++) {
                ProducerRecord<String, String> record = new ProducerRecord<>(topic, i % partitions,
                        base + i * 1000L, "key-" + i, "value-" + i);
                record.headers().add("origin", origin.getBytes(StandardCharsets.UTF_8));
                RecordMetadata sent = producer.send(record).get();
                System.out.println("sent " + i + " " + sent.partition() + " " + sent.offset());
            }
        }

        List<TopicPartition> tps = new ArrayList<>();
        for (int p = 0; p < partitions; p++) {
            tps.add(new TopicPartition(topic, p));
        }
        try (KafkaConsumer<String, String> consumer = consumer(bootstrap, null)) {
            consumer.beginningOffsets(tps).forEach((tp, offset) ->
                    System.out.println("beginning " + tp.partition() + " " + offset));
            consumer.endOffsets(tps).forEach((tp, offset) ->
                    System.out.println("end " + tp.partition() + " " + offset));
            for (int i = 0; i <= records; i++) {
                Map<TopicPartition, Long> query = new HashMap<>();
                for (TopicPartition tp : tps) {
                    query.put(tp, base + i * 1000L - 500);
                }
                for (Map.Entry<TopicPartition, OffsetAndTimestamp> found : consumer.offsetsForTimes(query).entrySet()) {
                    long offset = found.getValue() == null ? -1 : found.getValue().offset();
                    System.out.println("time " + i + " " + found.getKey().partition() + " " + offset);
                }
            }
            for (TopicPartition tp : tps) {
                consumer.assign(Collections.singleton(tp));
                consumer.seek(tp, seekOffset);
                ConsumerRecord<String, String> first = firstRecord(consumer);
                System.out.println("sought " + tp.partition() + " " + first.offset() + " " + first.key());
            }
        }

        try (KafkaConsumer<String, String> consumer = consumer(bootstrap, group)) {
            consumer.subscribe(Collections.singleton(topic));
            int consumed = 0;
            long deadline = System.currentTimeMillis() + DEADLINE_MS;
            while (consumed < records && System.currentTimeMillis() < deadline) {
                for (ConsumerRecord<String, String> r : consumer.poll(POLL)) {
                    Header header = r.headers().lastHeader("origin");
                    String headerValue = header == null ? "-" : new String(header.value(), StandardCharsets.UTF_8);
                    System.out.println("consumed " + r.partition() + " " + r.offset() + " " + r.key() + " "
                            + r.value() + " " + headerValue + " " + r.timestamp());
                    consumed++;
                }
            }
            consumer.commitSync();
            for (TopicPartition tp : tps) {
                OffsetAndMetadata committed = consumer.committed(tp);
                System.out.println("committed " + tp.partition() + " " + (committed == null ? -1 : committed.offset()));
            }
        }

        sharePartitions(bootstrap, topic, group + "-pair");

        try (AdminClient admin = AdminClient.create(adminProps)) {
            describeGroupAndConfig(admin, topic, group);
            String scratch = topic + "-scratch";
            admin.createTopics(Collections.singleton(new NewTopic(scratch, 1, (short) 1))).all().get();
            admin.createPartitions(Collections.singletonMap(scratch, NewPartitions.increaseTo(3))).all().get();
            System.out.println("grown " + scratch + " "
                    + admin.describeTopics(Collections.singleton(scratch)).all().get().get(scratch).partitions().size());
            admin.deleteTopics(Collections.singleton(scratch)).all().get();
            long deadline = System.currentTimeMillis() + DEADLINE_MS;
            while (admin.listTopics().names().get().contains(scratch) && System.currentTimeMillis() < deadline) {
                Thread.sleep(100);
            }
            if (!admin.listTopics().names().get().contains(scratch)) {
                System.out.println("deleted " + scratch);
            }
        }
    }

    /** Two members of one group, polled in turn until each owns one partition of the two. */
    private static void sharePartitions(String bootstrap, String topic, String group) {
        try (KafkaConsumer<String, String> first = consumer(bootstrap, group);
             KafkaConsumer<String, String> second = consumer(bootstrap, group)) {
            first.subscribe(Collections.singleton(topic));
            second.subscribe(Collections.singleton(topic));
            long deadline = System.currentTimeMillis() + DEADLINE_MS;
            while (!(first.assignment().size() == 1 && second.assignment().size() == 1
                    && !first.assignment().equals(second.assignment())) && System.currentTimeMillis() < deadline) {
                first.poll(POLL);
                second.poll(POLL);
            }
            List<String> owned = new ArrayList<>();
            for (KafkaConsumer<String, String> member : List.of(first, second)) {
                List<String> partitions = new ArrayList<>();
                member.assignment().forEach(tp -> partitions.add(Integer.toString(tp.partition())));
                Collections.sort(partitions);
                owned.add(partitions.isEmpty() ? "-" : String.join(",", partitions));
            }
            Collections.sort(owned);
            System.out.println("pair " + String.join(" ", owned));
        }
    }

    /** The group as Admin lists and describes it once its member left, and the topic's cleanup.policy. */
    private static void describeGroupAndConfig(AdminClient admin, String topic, String group) throws Exception {
        for (ConsumerGroupListing listing : admin.listConsumerGroups().all().get()) {
            if (listing.groupId().equals(group)) {
                System.out.println("listedGroup " + group);
            }
        }
        ConsumerGroupDescription description =
                admin.describeConsumerGroups(Collections.singleton(group)).all().get().get(group);
        System.out.println("group " + group + " " + description.state() + " " + description.members().size());
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        Config config = admin.describeConfigs(Collections.singleton(resource)).all().get().get(resource);
        System.out.println("config " + topic + " cleanup.policy " + config.get("cleanup.policy").value());
    }

    private static KafkaConsumer<String, String> consumer(String bootstrap, String group) {
        Properties props = new Properties();
        props.put("bootstrap.servers", bootstrap);
        props.put("auto.offset.reset", "earliest");
        props.put("enable.auto.commit", "false");
        if (group != null) {
            props.put("group.id", group);
            if (groupProtocol != null) {
                props.put("group.protocol", groupProtocol);
            }
        }
        return new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer());
    }

    private static ConsumerRecord<String, String> firstRecord(KafkaConsumer<String, String> consumer) {
        long deadline = System.currentTimeMillis() + DEADLINE_MS;
        while (System.currentTimeMillis() < deadline) {
            for (ConsumerRecord<String, String> r : consumer.poll(POLL)) {
                return r;
            }
        }
        throw new IllegalStateException("no record after seek within " + DEADLINE_MS + " ms");
    }
}
