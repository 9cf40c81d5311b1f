package io.runnel.bench;

import java.nio.ByteBuffer;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Produces keyed records at full speed, cycling over {@code keys} distinct 8-byte keys (so that a compacted topic
 * keeps one record per key), with the producer's default batching, and prints records, key + value bytes and the
 * nanoseconds from the first send to the last acknowledgement. ProducerPerformance sends no keys, which a compacted
 * topic refuses. Usage: {@code KeyedProducerPerf <bootstrap> <topic> <records> <keys> <value size> <acks>}.
 */
public final class KeyedProducerPerf {
    private KeyedProducerPerf() {
    }

    public static void main(String[] args) {
        long records = Long.parseLong(args[2]);
        long keys = Long.parseLong(args[3]);
        int valueSize = Integer.parseInt(args[4]);
        Properties config = new Properties();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, args[0]);
        config.put(ProducerConfig.ACKS_CONFIG, args[5]);
        config.put(ProducerConfig.CLIENT_ID_CONFIG, "keyed-producer-perf");
        AtomicReference<Exception> failure = new AtomicReference<>();
        Callback onError = (metadata, e) -> {
            if (e != null) {
                failure.compareAndSet(null, e);
            }
        };
        long elapsed;
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer())) {
            // send() copies key and value into its batch before returning, so one array of each serves every record
            byte[] key = new byte[Long.BYTES];
            ByteBuffer keyBuffer = ByteBuffer.wrap(key);
            byte[] value = new byte[valueSize];
            producer.partitionsFor(args[1]); // metadata first: the clock measures sending only
            long start = System.nanoTime();
            for (long i = 0; i < records && failure.get() == null; i++) {
                keyBuffer.putLong(0, i % keys);
                producer.send(new ProducerRecord<>(args[1], key, value), onError);
            }
            producer.flush();
            elapsed = System.nanoTime() - start;
        }
        if (failure.get() != null) {
            throw new IllegalStateException("a send failed", failure.get());
        }
        new ResultLine().put("records", records).put("bytes", records * (Long.BYTES + valueSize))
                .put("elapsed_ns", elapsed).print();
    }
}
