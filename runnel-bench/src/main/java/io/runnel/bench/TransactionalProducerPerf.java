package io.runnel.bench;

import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Produces records in transactions of a fixed number of records, each committed before the next begins, and prints
 * records, value bytes, transactions and the nanoseconds from the first send to the last commit. ProducerPerformance
 * only bounds transactions by time. Usage: {@code TransactionalProducerPerf <bootstrap> <topic> <records>
 * <records per transaction> <value size>}.
 */
public final class TransactionalProducerPerf {
    private TransactionalProducerPerf() {
    }

    public static void main(String[] args) {
        long records = Long.parseLong(args[2]);
        int perTransaction = Integer.parseInt(args[3]);
        int valueSize = Integer.parseInt(args[4]);
        Properties config = new Properties();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, args[0]);
        config.put(ProducerConfig.CLIENT_ID_CONFIG, "transactional-producer-perf");
        config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "transactional-producer-perf-" + UUID.randomUUID());
        long transactions = 0;
        long elapsed;
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer())) {
            byte[] value = new byte[valueSize];
            producer.initTransactions(); // and metadata first: the clock measures transactions only
            producer.partitionsFor(args[1]);
            long start = System.nanoTime();
            for (long sent = 0; sent < records; transactions++) {
                producer.beginTransaction();
                for (int i = 0; i < perTransaction && sent < records; i++, sent++) {
                    producer.send(new ProducerRecord<>(args[1], value));
                }
                producer.commitTransaction();
            }
            elapsed = System.nanoTime() - start;
        }
        new ResultLine().put("records", records).put("bytes", records * valueSize).put("transactions", transactions)
                .put("elapsed_ns", elapsed).print();
    }
}
