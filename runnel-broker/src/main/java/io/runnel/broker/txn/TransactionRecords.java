package io.runnel.broker.txn;

import org.apache.kafka.common.TopicPartition;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Keys and values of {@code __transaction_state} in Kafka's byte format, so Kafka's tools read them: the key is the
 * key version (0) and TransactionLogKey v0 (the transactional id as an int16-length string); the value is the value
 * version (0, the non-flexible version Kafka writes for transaction protocol v1) and TransactionLogValue v0 (producer
 * id, epoch, timeout, state id, the partitions per topic, last update and start timestamps). An expired id's record
 * is a tombstone.
 */
public final class TransactionRecords {
    static final short KEY_VERSION = 0;
    static final short VALUE_VERSION = 0;

    private TransactionRecords() {
    }

    public static ByteBuffer key(String transactionalId) {
        byte[] id = transactionalId.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(2 + 2 + id.length).putShort(KEY_VERSION).putShort((short) id.length).put(id).flip();
    }

    public static String transactionalId(ByteBuffer key) {
        ByteBuffer in = key.duplicate();
        short version = in.getShort();
        if (version != KEY_VERSION) {
            throw new IllegalArgumentException("Unknown __transaction_state key version " + version);
        }
        return readString(in);
    }

    public static ByteBuffer value(TransactionMetadata txn) {
        Map<String, List<Integer>> byTopic = new TreeMap<>();
        txn.partitions().forEach(tp -> byTopic.computeIfAbsent(tp.topic(), t -> new ArrayList<>()).add(tp.partition()));
        int size = 2 + 8 + 2 + 4 + 1 + 4 + 8 + 8;
        for (Map.Entry<String, List<Integer>> topic : byTopic.entrySet()) {
            size += 2 + topic.getKey().getBytes(StandardCharsets.UTF_8).length + 4 + 4 * topic.getValue().size();
        }
        ByteBuffer out = ByteBuffer.allocate(size).putShort(VALUE_VERSION).putLong(txn.producerId())
                .putShort(txn.producerEpoch()).putInt(txn.timeoutMs()).put(txn.state().id()).putInt(byTopic.size());
        byTopic.forEach((topic, partitions) -> {
            byte[] name = topic.getBytes(StandardCharsets.UTF_8);
            out.putShort((short) name.length).put(name).putInt(partitions.size());
            partitions.stream().sorted().forEach(out::putInt);
        });
        return out.putLong(txn.lastUpdateTimestamp()).putLong(txn.startTimestamp()).flip();
    }

    /** The state a value stores; throws on a version other than 0 or a truncated value. */
    public static TransactionMetadata readValue(String transactionalId, ByteBuffer value) {
        ByteBuffer in = value.duplicate();
        short version = in.getShort();
        if (version != VALUE_VERSION) {
            throw new IllegalArgumentException("Unknown __transaction_state value version " + version);
        }
        long producerId = in.getLong();
        short epoch = in.getShort();
        int timeoutMs = in.getInt();
        TransactionState state = TransactionState.fromId(in.get());
        int topics = in.getInt();
        Set<TopicPartition> partitions = new HashSet<>();
        for (int t = 0; t < topics; t++) {
            String topic = readString(in);
            int count = in.getInt();
            for (int p = 0; p < count; p++) {
                partitions.add(new TopicPartition(topic, in.getInt()));
            }
        }
        long lastUpdate = in.getLong();
        long start = in.getLong();
        return new TransactionMetadata(transactionalId, producerId, -1, epoch, TransactionMetadata.NO_EPOCH, timeoutMs,
                state, partitions, start, lastUpdate);
    }

    private static String readString(ByteBuffer in) {
        byte[] bytes = new byte[in.getShort()];
        in.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
