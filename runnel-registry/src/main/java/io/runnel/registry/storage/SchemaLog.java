package io.runnel.registry.storage;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code _schemas} topic: one compacted partition the registry creates itself, read from the beginning into a
 * {@link SchemaIndex} by one thread for as long as the registry runs. A write is produced with acks=all and counts
 * only once that thread has read it back and applied it, so the index is always what the topic says.
 */
public final class SchemaLog implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SchemaLog.class);
    private static final Duration POLL = Duration.ofMillis(200);
    private static final int MAX_REPLICATION_FACTOR = 3;

    private final String topic;
    private final TopicPartition partition;
    private final SchemaIndex index;
    private final Admin admin;
    private final KafkaProducer<byte[], byte[]> producer;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Thread reader;
    /** The offset the reader will read next: every record below it is in the index. Guarded by this. */
    private long position;
    private volatile boolean closed;

    /**
     * Creates the topic if needed, then starts reading it; {@link #awaitCaughtUp} tells when the index holds all it
     * had at start. {@code clientProperties} are the Kafka clients' (bootstrap.servers, security settings).
     */
    public SchemaLog(Map<String, Object> clientProperties, String topic, int replicationFactor, SchemaIndex index,
                     Duration timeout) throws Exception {
        this.topic = topic;
        this.partition = new TopicPartition(topic, 0);
        this.index = index;
        admin = Admin.create(adminProperties(clientProperties));
        try {
            ensureTopic(replicationFactor, timeout);
            producer = new KafkaProducer<>(producerProperties(clientProperties), new ByteArraySerializer(),
                    new ByteArraySerializer());
        } catch (Exception e) {
            admin.close(Duration.ZERO);
            throw e;
        }
        try {
            consumer = new KafkaConsumer<>(consumerProperties(clientProperties), new ByteArrayDeserializer(),
                    new ByteArrayDeserializer());
        } catch (RuntimeException e) {
            producer.close(Duration.ZERO);
            admin.close(Duration.ZERO);
            throw e;
        }
        consumer.assign(List.of(partition));
        consumer.seekToBeginning(List.of(partition));
        reader = new Thread(this::readForever, "schema-registry-reader");
        reader.setDaemon(true);
    }

    /** Starts reading and waits until the index holds everything the topic held at this moment. */
    public void start(Duration timeout) throws InterruptedException, TimeoutException {
        long end = consumer.endOffsets(List.of(partition), timeout).get(partition);
        reader.start();
        awaitApplied(end, timeout);
        LOG.info("Schema registry read {} records of {}: {}", end, topic, index.describe());
    }

    /**
     * Waits until the index holds everything the topic holds now: what a new leader does before its first write, so
     * it never gives an id or version its predecessor gave.
     */
    public void catchUp(Duration timeout) throws InterruptedException, ExecutionException, TimeoutException {
        long end = admin.listOffsets(Map.of(partition, OffsetSpec.latest())).partitionResult(partition)
                .get(timeout.toMillis(), TimeUnit.MILLISECONDS).offset();
        awaitApplied(end, timeout);
    }

    /**
     * Appends records (a null value is a tombstone) with acks=all and returns once the reader has applied them. The
     * caller is the registry's single writer thread, which may block.
     */
    public void append(List<Map.Entry<RegistryKey, byte[]>> records, Duration timeout)
            throws InterruptedException, ExecutionException, TimeoutException {
        RecordMetadata last = null;
        for (Map.Entry<RegistryKey, byte[]> record : records) {
            last = producer.send(new ProducerRecord<>(topic, 0, RegistryJson.key(record.getKey()), record.getValue()))
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        }
        if (last != null) {
            awaitApplied(last.offset() + 1, timeout);
        }
    }

    private synchronized void awaitApplied(long offset, Duration timeout) throws InterruptedException,
            TimeoutException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (position < offset) {
            long left = deadline - System.nanoTime();
            if (left <= 0 || closed) {
                throw new TimeoutException("the registry had read " + topic + " to offset " + position
                        + ", not yet to " + offset);
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
    }

    private void readForever() {
        try {
            while (!closed) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) {
                    applyQuietly(record);
                }
                long next = consumer.position(partition);
                synchronized (this) {
                    position = next;
                    notifyAll();
                }
            }
        } catch (WakeupException closing) {
            // close() woke the poll
        } catch (RuntimeException e) {
            LOG.error("The schema registry stopped reading {}: it serves what it had read", topic, e);
        } finally {
            consumer.close(CloseOptions.timeout(Duration.ZERO));
        }
    }

    /** A record this registry cannot read (a newer key type's value, garbage) is skipped, never fatal. */
    private void applyQuietly(ConsumerRecord<byte[], byte[]> record) {
        try {
            RegistryKey key = record.key() == null ? null : RegistryJson.parseKey(record.key());
            if (key != null) {
                index.apply(key, record.value());
            }
        } catch (RuntimeException e) {
            LOG.warn("Skipping unreadable record at offset {} of {}: {}", record.offset(), topic, e.toString());
        }
    }

    private void ensureTopic(int replicationFactor, Duration timeout) throws Exception {
        if (admin.listTopics().names().get(timeout.toMillis(), TimeUnit.MILLISECONDS).contains(topic)) {
            return;
        }
        int brokers = admin.describeCluster().nodes().get(timeout.toMillis(), TimeUnit.MILLISECONDS).size();
        short rf = (short) Math.max(1, Math.min(Math.min(replicationFactor, MAX_REPLICATION_FACTOR), brokers));
        NewTopic newTopic = new NewTopic(topic, 1, rf).configs(Map.of(
                TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
        try {
            admin.createTopics(List.of(newTopic)).all().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            LOG.info("Created the schema registry's topic {} (compacted, replication factor {})", topic, rf);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw e;
            }
        }
    }

    private static Properties adminProperties(Map<String, Object> clientProperties) {
        Properties p = new Properties();
        p.putAll(clientProperties);
        p.put(AdminClientConfig.CLIENT_ID_CONFIG, "schema-registry-admin");
        return p;
    }

    private static Properties producerProperties(Map<String, Object> clientProperties) {
        Properties p = new Properties();
        p.putAll(clientProperties);
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "schema-registry-producer");
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        return p;
    }

    private static Properties consumerProperties(Map<String, Object> clientProperties) {
        Properties p = new Properties();
        p.putAll(clientProperties);
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "schema-registry-reader");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        return p;
    }

    @Override
    public void close() {
        closed = true;
        consumer.wakeup();
        synchronized (this) {
            notifyAll();
        }
        producer.close(Duration.ofSeconds(5));
        admin.close(Duration.ofSeconds(5));
        if (reader.getState() == Thread.State.NEW) {
            consumer.close(CloseOptions.timeout(Duration.ZERO));
            return;
        }
        try {
            reader.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
