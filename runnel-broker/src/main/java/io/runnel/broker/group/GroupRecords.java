package io.runnel.broker.group;

import org.apache.kafka.common.TopicPartition;

import java.nio.ByteBuffer;

/**
 * Keys and values of {@code __consumer_offsets}. A key starts with its type as a short, numbered as Kafka's key
 * versions (1 offset commit, 2 classic group metadata; other record types take other numbers); values start with
 * their own version. A null value is a tombstone, which compaction eventually drops with the key's older values.
 */
public final class GroupRecords {
    public static final short OFFSET_COMMIT = 1;
    public static final short GROUP_METADATA = 2;
    public static final short OFFSET_VALUE_VERSION = 0;

    private GroupRecords() {
    }

    /** The record type of a key. */
    public static short type(ByteBuffer key) {
        return key.getShort(key.position());
    }

    public static ByteBuffer offsetKey(String groupId, TopicPartition tp) {
        return new RecordWriter().writeShort(OFFSET_COMMIT).writeString(groupId)
                .writeString(tp.topic()).writeInt(tp.partition()).toBuffer();
    }

    public static ByteBuffer offsetValue(CommittedOffset offset) {
        return new RecordWriter().writeShort(OFFSET_VALUE_VERSION).writeLong(offset.offset())
                .writeInt(offset.leaderEpoch()).writeString(offset.metadata())
                .writeLong(offset.commitTimestamp()).toBuffer();
    }

    /** A key of the group's own record: type then group id, whatever the type. */
    public static ByteBuffer groupKey(short type, String groupId) {
        return new RecordWriter().writeShort(type).writeString(groupId).toBuffer();
    }

    /** The group id of any key (every key type starts with it). */
    public static String groupId(ByteBuffer key) {
        RecordReader reader = new RecordReader(key);
        reader.readShort();
        return reader.readString();
    }

    /** The partition of an {@link #OFFSET_COMMIT} key. */
    public static TopicPartition offsetPartition(ByteBuffer key) {
        RecordReader reader = new RecordReader(key);
        reader.readShort();
        reader.readString();
        return new TopicPartition(reader.readString(), reader.readInt());
    }

    /** The value of an {@link #OFFSET_COMMIT} record; throws on an unknown version or a truncated value. */
    public static CommittedOffset readOffset(ByteBuffer value) {
        RecordReader reader = new RecordReader(value);
        short version = reader.readShort();
        if (version != OFFSET_VALUE_VERSION) {
            throw new IllegalStateException("Unknown offset commit value version " + version);
        }
        return new CommittedOffset(reader.readLong(), reader.readInt(), reader.readString(), reader.readLong());
    }
}
