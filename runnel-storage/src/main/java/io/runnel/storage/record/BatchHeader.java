package io.runnel.storage.record;

import java.nio.ByteBuffer;

/**
 * The fixed 61-byte header of a magic-v2 record batch (the wire layout of Kafka's protocol guide), read with absolute
 * gets so that scanning stored batches allocates nothing.
 */
public final class BatchHeader {
    /** Bytes of the header, also the smallest possible batch. */
    public static final int SIZE = 61;
    /** Base offset and length fields, which the length does not count. */
    public static final int LOG_OVERHEAD = 12;
    public static final byte MAGIC_V2 = 2;

    private static final int LENGTH = 8;
    private static final int PARTITION_LEADER_EPOCH = 12;
    private static final int MAGIC = 16;
    private static final int ATTRIBUTES = 21;
    private static final short TRANSACTIONAL_FLAG = 0x10;
    private static final short CONTROL_FLAG = 0x20;
    private static final int LAST_OFFSET_DELTA = 23;
    private static final int MAX_TIMESTAMP = 35;
    private static final int PRODUCER_ID = 43;
    private static final int PRODUCER_EPOCH = 51;
    private static final int BASE_SEQUENCE = 53;

    private BatchHeader() {
    }

    /**
     * How many of the bytes from {@code b}'s position on are whole batches: a read bounded by a byte count may end
     * inside a batch, whose start a reader that needs whole batches leaves for its next read.
     */
    public static int wholeBatchesLength(ByteBuffer b) {
        int start = b.position();
        int pos = start;
        while (b.limit() - pos >= LOG_OVERHEAD) {
            int size = batchSize(b, pos);
            if (size < LOG_OVERHEAD || size > b.limit() - pos) {
                break;
            }
            pos += size;
        }
        return pos - start;
    }

    public static long baseOffset(ByteBuffer b, int pos) {
        return b.getLong(pos);
    }

    /** Whole batch size in bytes, header included. */
    public static int batchSize(ByteBuffer b, int pos) {
        return b.getInt(pos + LENGTH) + LOG_OVERHEAD;
    }

    public static int partitionLeaderEpoch(ByteBuffer b, int pos) {
        return b.getInt(pos + PARTITION_LEADER_EPOCH);
    }

    public static byte magic(ByteBuffer b, int pos) {
        return b.get(pos + MAGIC);
    }

    /** A batch of a transaction (data or its end marker). */
    public static boolean isTransactional(ByteBuffer b, int pos) {
        return (b.getShort(pos + ATTRIBUTES) & TRANSACTIONAL_FLAG) != 0;
    }

    /** A batch of control records: a transaction's commit or abort marker. */
    public static boolean isControl(ByteBuffer b, int pos) {
        return (b.getShort(pos + ATTRIBUTES) & CONTROL_FLAG) != 0;
    }

    public static long lastOffset(ByteBuffer b, int pos) {
        return baseOffset(b, pos) + b.getInt(pos + LAST_OFFSET_DELTA);
    }

    public static long maxTimestamp(ByteBuffer b, int pos) {
        return b.getLong(pos + MAX_TIMESTAMP);
    }

    public static long producerId(ByteBuffer b, int pos) {
        return b.getLong(pos + PRODUCER_ID);
    }

    public static short producerEpoch(ByteBuffer b, int pos) {
        return b.getShort(pos + PRODUCER_EPOCH);
    }

    public static int baseSequence(ByteBuffer b, int pos) {
        return b.getInt(pos + BASE_SEQUENCE);
    }

    /** Sequence of the last record; sequences wrap from Integer.MAX_VALUE to 0. */
    public static int lastSequence(ByteBuffer b, int pos) {
        return addSequence(baseSequence(b, pos), b.getInt(pos + LAST_OFFSET_DELTA));
    }

    public static int addSequence(int sequence, int delta) {
        return sequence > Integer.MAX_VALUE - delta ? delta - (Integer.MAX_VALUE - sequence) - 1 : sequence + delta;
    }
}
