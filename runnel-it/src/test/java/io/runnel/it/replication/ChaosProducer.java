package io.runnel.it.replication;

import io.runnel.it.KafkaEndpoint;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.BitSet;
import java.util.Properties;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * An idempotent acks=all producer writing, on its own thread, records whose values are the numbers 0, 1, 2, ...
 * (record n to partition n % partitions, so each partition's values rise), and remembering exactly which were
 * acknowledged: a callback without exception. At most {@link #IN_FLIGHT} records wait for an answer at a time, and
 * the producer keeps to a steady rate, without catching up after a stall.
 */
final class ChaosProducer implements AutoCloseable {
    private static final int IN_FLIGHT = 2000;
    /**
     * At most 2,000 records a second: the three brokers and this producer share the machine with the restart of a
     * killed broker, whose start-up takes three times as long when they keep both cores busy.
     */
    private static final long NANOS_PER_RECORD = TimeUnit.SECONDS.toNanos(1) / 2000;

    private final KafkaProducer<byte[], byte[]> producer;
    private final String topic;
    private final int partitions;
    private final Semaphore inFlight = new Semaphore(IN_FLIGHT);
    private final BitSet acknowledged = new BitSet();
    private final AtomicLong acknowledgedCount = new AtomicLong();
    private final AtomicLong failedCount = new AtomicLong();
    private final Thread thread;
    private volatile boolean running = true;
    private volatile int sent;

    ChaosProducer(KafkaEndpoint cluster, String topic, int partitions) {
        Properties props = new Properties();
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        props.put(ProducerConfig.RETRIES_CONFIG, Integer.toString(Integer.MAX_VALUE));
        props.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "5");
        props.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        // A request to a killed leader is abandoned after 10 s and retried at the new one; a record is given up
        // only after two minutes without an acknowledgement.
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "120000");
        this.producer = cluster.producer(props);
        this.topic = topic;
        this.partitions = partitions;
        this.thread = new Thread(this::run, "chaos-producer");
        thread.setDaemon(true);
        thread.start();
    }

    static long valueOf(byte[] value) {
        return Long.parseLong(new String(value, StandardCharsets.UTF_8));
    }

    private void run() {
        long due = System.nanoTime();
        try {
            while (running) {
                long now = System.nanoTime();
                if (now < due) {
                    LockSupport.parkNanos(due - now);
                } else if (inFlight.tryAcquire(100, TimeUnit.MILLISECONDS)) {
                    send(sent);
                    sent++;
                    // After a stall the pace resumes rather than catching up: a burst would compete with the
                    // restart of the broker whose loss caused the stall.
                    due = Math.max(due + NANOS_PER_RECORD, now);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void send(int number) {
        byte[] value = Integer.toString(number).getBytes(StandardCharsets.UTF_8);
        producer.send(new ProducerRecord<>(topic, number % partitions, null, value), (metadata, e) -> {
            if (e == null) {
                synchronized (acknowledged) {
                    acknowledged.set(number);
                }
                acknowledgedCount.incrementAndGet();
            } else {
                failedCount.incrementAndGet();
            }
            inFlight.release();
        });
    }

    long acknowledgedCount() {
        return acknowledgedCount.get();
    }

    /** Records whose send ended with an exception (given up by the producer). */
    long failedCount() {
        return failedCount.get();
    }

    /** Stops sending and waits until every record sent has its answer. */
    void stop() throws InterruptedException {
        running = false;
        thread.join();
        producer.flush();
    }

    int sent() {
        return sent;
    }

    BitSet acknowledged() {
        synchronized (acknowledged) {
            return (BitSet) acknowledged.clone();
        }
    }

    @Override
    public void close() {
        running = false;
        producer.close(Duration.ZERO);
    }
}
