package io.runnel.broker.txn;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.protocol.ByteBufferAccessor;

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
 * version and TransactionLogValue: producer id, epoch, timeout, state id, the partitions per topic, last update and
 * start timestamps. Version 1, written since transaction protocol v2, is flexible (compact strings and arrays) and
 * carries tagged fields: the previous producer id (tag 0), the next producer id (tag 1) and the client's transaction
 * version (tag 2), each only when not its default. Version 0 values still load. An expired id's record is a tombstone.
 */
public final class TransactionRecords {
    static final short KEY_VERSION = 0;
    static final short VALUE_VERSION = 1;
    private static final short VALUE_VERSION_0 = 0;
    private static final int TAG_PREVIOUS_PRODUCER_ID = 0;
    private static final int TAG_NEXT_PRODUCER_ID = 1;
    private static final int TAG_CLIENT_TRANSACTION_VERSION = 2;

    /** The most bytes an unsigned varint takes: values are sized generously, then the buffer is flipped. */
    private static final int VARINT_MAX = 5;

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
        byte[] bytes = new byte[in.getShort()];
        in.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    public static ByteBuffer value(TransactionMetadata txn) {
        Map<String, List<Integer>> byTopic = new TreeMap<>();
        txn.partitions().forEach(tp -> byTopic.computeIfAbsent(tp.topic(), t -> new ArrayList<>()).add(tp.partition()));
        ByteBuffer out = ByteBuffer.allocate(size(txn, byTopic)).putShort(VALUE_VERSION).putLong(txn.producerId())
                .putShort(txn.producerEpoch()).putInt(txn.timeoutMs()).put(txn.state().id());
        writeVarint(byTopic.size() + 1, out);
        byTopic.forEach((topic, partitions) -> {
            byte[] name = topic.getBytes(StandardCharsets.UTF_8);
            writeVarint(name.length + 1, out);
            out.put(name);
            writeVarint(partitions.size() + 1, out);
            partitions.stream().sorted().forEach(out::putInt);
            writeVarint(0, out);
        });
        out.putLong(txn.lastUpdateTimestamp()).putLong(txn.startTimestamp());
        writeVarint(tagCount(txn), out);
        if (txn.previousProducerId() != TransactionMetadata.NO_PRODUCER_ID) {
            writeTag(out, TAG_PREVIOUS_PRODUCER_ID, 8).putLong(txn.previousProducerId());
        }
        if (txn.nextProducerId() != TransactionMetadata.NO_PRODUCER_ID) {
            writeTag(out, TAG_NEXT_PRODUCER_ID, 8).putLong(txn.nextProducerId());
        }
        if (txn.clientTransactionVersion() != 0) {
            writeTag(out, TAG_CLIENT_TRANSACTION_VERSION, 2).putShort(txn.clientTransactionVersion());
        }
        return out.flip();
    }

    private static int size(TransactionMetadata txn, Map<String, List<Integer>> byTopic) {
        int size = 2 + 8 + 2 + 4 + 1 + VARINT_MAX + 8 + 8 + VARINT_MAX;
        for (Map.Entry<String, List<Integer>> topic : byTopic.entrySet()) {
            int name = topic.getKey().getBytes(StandardCharsets.UTF_8).length;
            int count = topic.getValue().size();
            size += VARINT_MAX + name + VARINT_MAX + 4 * count + 1;
        }
        // each tag: its number and size, then its value
        return size + 2 * VARINT_MAX * tagCount(txn)
                + (txn.previousProducerId() != TransactionMetadata.NO_PRODUCER_ID ? 8 : 0)
                + (txn.nextProducerId() != TransactionMetadata.NO_PRODUCER_ID ? 8 : 0)
                + (txn.clientTransactionVersion() != 0 ? 2 : 0);
    }

    private static int tagCount(TransactionMetadata txn) {
        return (txn.previousProducerId() != TransactionMetadata.NO_PRODUCER_ID ? 1 : 0)
                + (txn.nextProducerId() != TransactionMetadata.NO_PRODUCER_ID ? 1 : 0)
                + (txn.clientTransactionVersion() != 0 ? 1 : 0);
    }

    private static ByteBuffer writeTag(ByteBuffer out, int tag, int size) {
        writeVarint(tag, out);
        writeVarint(size, out);
        return out;
    }

    /** The state a value stores; throws on an unknown version or a truncated value. */
    public static TransactionMetadata readValue(String transactionalId, ByteBuffer value) {
        ByteBuffer in = value.duplicate();
        short version = in.getShort();
        if (version != VALUE_VERSION_0 && version != VALUE_VERSION) {
            throw new IllegalArgumentException("Unknown __transaction_state value version " + version);
        }
        boolean flexible = version == VALUE_VERSION;
        long producerId = in.getLong();
        short epoch = in.getShort();
        int timeoutMs = in.getInt();
        TransactionState state = TransactionState.fromId(in.get());
        int topics = flexible ? readVarint(in) - 1 : in.getInt();
        Set<TopicPartition> partitions = new HashSet<>();
        for (int t = 0; t < topics; t++) {
            String topic = readString(in, flexible);
            int count = flexible ? readVarint(in) - 1 : in.getInt();
            for (int p = 0; p < count; p++) {
                partitions.add(new TopicPartition(topic, in.getInt()));
            }
            if (flexible) {
                skipTags(in);
            }
        }
        long lastUpdate = in.getLong();
        long start = in.getLong();
        long previousProducerId = TransactionMetadata.NO_PRODUCER_ID;
        long nextProducerId = TransactionMetadata.NO_PRODUCER_ID;
        short clientTransactionVersion = 0;
        if (flexible) {
            int tags = readVarint(in);
            for (int i = 0; i < tags; i++) {
                int tag = readVarint(in);
                int size = readVarint(in);
                switch (tag) {
                    case TAG_PREVIOUS_PRODUCER_ID -> previousProducerId = in.getLong();
                    case TAG_NEXT_PRODUCER_ID -> nextProducerId = in.getLong();
                    case TAG_CLIENT_TRANSACTION_VERSION -> clientTransactionVersion = in.getShort();
                    default -> in.position(in.position() + size);
                }
            }
        }
        return new TransactionMetadata(transactionalId, producerId, previousProducerId, epoch,
                TransactionMetadata.NO_EPOCH, timeoutMs, state, partitions, start, lastUpdate, nextProducerId,
                clientTransactionVersion);
    }

    private static String readString(ByteBuffer in, boolean flexible) {
        byte[] bytes = new byte[flexible ? readVarint(in) - 1 : in.getShort()];
        in.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static void writeVarint(int value, ByteBuffer out) {
        new ByteBufferAccessor(out).writeUnsignedVarint(value);
    }

    private static int readVarint(ByteBuffer in) {
        return new ByteBufferAccessor(in).readUnsignedVarint();
    }

    private static void skipTags(ByteBuffer in) {
        int tags = readVarint(in);
        for (int i = 0; i < tags; i++) {
            readVarint(in);
            in.position(in.position() + readVarint(in));
        }
    }
}
