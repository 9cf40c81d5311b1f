package io.runnel.it.fuzz;

import io.runnel.it.wire.SeedFrame;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.zip.CRC32C;

/**
 * Mutations of the record batches inside a Produce frame (the magic v2 layout: base offset, length, partition leader
 * epoch, magic, CRC, attributes, last offset delta, timestamps, producer id/epoch, base sequence, record count, then
 * the records, compressed or not). Mostly the CRC is recomputed afterwards, so that the corruption reaches the
 * broker's deeper checks (decompression, record count, offsets) rather than stopping at the checksum.
 */
final class BatchMutator {
    private static final int BASE_OFFSET = 0;
    private static final int LENGTH = 8;
    private static final int LOG_OVERHEAD = 12;
    private static final int LEADER_EPOCH = 12;
    private static final int MAGIC = 16;
    private static final int CRC = 17;
    private static final int ATTRIBUTES = 21;
    private static final int LAST_OFFSET_DELTA = 23;
    private static final int BASE_TIMESTAMP = 27;
    private static final int MAX_TIMESTAMP = 35;
    private static final int PRODUCER_ID = 43;
    private static final int PRODUCER_EPOCH = 51;
    private static final int BASE_SEQUENCE = 53;
    private static final int RECORD_COUNT = 57;
    private static final int RECORDS = 61;
    /** Produce v9 and later are flexible: the records' size is a compact varint, before that an int32. */
    private static final short FIRST_FLEXIBLE_PRODUCE = 9;

    private BatchMutator() {
    }

    /** A mutated copy of the frame; {@code log} gets the mutation's description. */
    static byte[] mutate(byte[] frame, SeedFrame seed, SplittableRandom rnd, StringBuilder log) {
        List<Integer> batches = batchStarts(frame, seed.recordsStart(), seed.recordsEnd());
        int batch = batches.get(rnd.nextInt(batches.size()));
        int batchEnd = batchEnd(frame, batch, seed.recordsEnd());
        byte[] out = frame.clone();
        int choice = rnd.nextInt(10);
        if (choice < 5) {
            setHeaderField(out, batch, batchEnd, rnd, log);
        } else if (choice < 8) {
            int corrupt = 1 + rnd.nextInt(4);
            for (int i = 0; i < corrupt && batch + RECORDS < batchEnd; i++) {
                int at = batch + RECORDS + rnd.nextInt(batchEnd - batch - RECORDS);
                out[at] = (byte) (rnd.nextBoolean() ? out[at] ^ (1 << rnd.nextInt(8)) : rnd.nextInt(256));
                log.append(" payload[").append(at - batch).append(']');
            }
        } else {
            return resizePayload(out, seed, batch, batchEnd, rnd, log);
        }
        if (rnd.nextInt(10) < 8) {
            fixCrc(out, batch, batchEnd);
            log.append(" +crc");
        }
        return out;
    }

    private static void setHeaderField(byte[] b, int batch, int batchEnd, SplittableRandom rnd, StringBuilder log) {
        int recordCount = Bytes.getInt(b, batch + RECORD_COUNT);
        switch (rnd.nextInt(11)) {
            case 0 -> field(b, batch + LENGTH, 4, pick(rnd, -1, 0, 1, RECORDS - LOG_OVERHEAD - 1,
                    batchEnd - batch - LOG_OVERHEAD + 1, batchEnd - batch - LOG_OVERHEAD - 1, Integer.MAX_VALUE,
                    1 << 24), "length", log);
            case 1 -> field(b, batch + MAGIC, 1, pick(rnd, 0, 1, 3, -1, 127), "magic", log);
            case 2 -> field(b, batch + CRC, 4, rnd.nextInt(), "crc", log);
            // Compression codecs 0-4 are valid, 5-7 are not; bit 3 timestamp type, 4 transactional, 5 control.
            case 3 -> field(b, batch + ATTRIBUTES, 2, pick(rnd, rnd.nextInt(8), 0x08, 0x10, 0x20, 0x30, 0x40,
                    rnd.nextInt(1 << 16)), "attributes", log);
            case 4 -> field(b, batch + LAST_OFFSET_DELTA, 4, pick(rnd, -1, 0, recordCount, recordCount - 2,
                    Integer.MAX_VALUE), "lastOffsetDelta", log);
            case 5 -> field(b, batch + RECORD_COUNT, 4, pick(rnd, -1, 0, 1, recordCount + 1, recordCount - 1,
                    Integer.MAX_VALUE, 1 << 20), "recordCount", log);
            case 6 -> longField(b, batch + BASE_OFFSET, pick(rnd, -1L, Long.MAX_VALUE, rnd.nextLong()), "baseOffset", log);
            case 7 -> longField(b, batch + (rnd.nextBoolean() ? BASE_TIMESTAMP : MAX_TIMESTAMP),
                    pick(rnd, -1L, 0L, Long.MAX_VALUE, Long.MIN_VALUE), "timestamp", log);
            case 8 -> longField(b, batch + PRODUCER_ID, pick(rnd, -1L, 0L, 1_000L, Long.MAX_VALUE), "producerId", log);
            case 9 -> field(b, batch + (rnd.nextBoolean() ? PRODUCER_EPOCH : BASE_SEQUENCE), rnd.nextBoolean() ? 2 : 4,
                    pick(rnd, -1, 0, 1, Integer.MAX_VALUE), "producerEpoch/baseSequence", log);
            default -> field(b, batch + LEADER_EPOCH, 4, pick(rnd, -1, 0, Integer.MAX_VALUE), "leaderEpoch", log);
        }
    }

    /**
     * Cuts bytes out of the batch's records, or inserts random ones, keeping the framing consistent (batch length and
     * the request's records size follow), so the broker meets a short or overlong compressed stream.
     */
    private static byte[] resizePayload(byte[] b, SeedFrame seed, int batch, int batchEnd, SplittableRandom rnd,
                                        StringBuilder log) {
        int payload = batchEnd - batch - RECORDS;
        if (payload <= 1) {
            return b;
        }
        int at = batch + RECORDS + rnd.nextInt(payload);
        int delta;
        byte[] resized;
        if (rnd.nextBoolean()) {
            int cut = 1 + rnd.nextInt(Math.min(payload - (at - batch - RECORDS), 32));
            resized = Bytes.replace(b, at, cut, new byte[0]);
            delta = -cut;
        } else {
            byte[] inserted = new byte[1 + rnd.nextInt(32)];
            rnd.nextBytes(inserted);
            resized = Bytes.replace(b, at, 0, inserted);
            delta = inserted.length;
        }
        log.append(" resize(").append(delta).append(")@").append(at - batch);
        Bytes.putInt(resized, batch + LENGTH, Bytes.getInt(resized, batch + LENGTH) + delta);
        fixCrc(resized, batch, batchEnd + delta);
        return resizeRecordsField(resized, seed, delta);
    }

    private static byte[] resizeRecordsField(byte[] b, SeedFrame seed, int delta) {
        int start = seed.recordsStart();
        int size = seed.recordsEnd() - start;
        if (seed.apiVersion() < FIRST_FLEXIBLE_PRODUCE) {
            Bytes.putInt(b, start - 4, size + delta);
            return b;
        }
        for (int width = 1; width <= 5 && width <= start; width++) {
            if (Bytes.varintLength(b, start - width) == width && Bytes.readUnsignedVarint(b, start - width) == size + 1) {
                return Bytes.replace(b, start - width, width, Bytes.unsignedVarint(size + delta + 1L));
            }
        }
        return b;
    }

    private static List<Integer> batchStarts(byte[] b, int start, int end) {
        List<Integer> starts = new ArrayList<>();
        int at = start;
        while (at + RECORDS <= end) {
            starts.add(at);
            at += LOG_OVERHEAD + Bytes.getInt(b, at + LENGTH);
        }
        return starts;
    }

    private static int batchEnd(byte[] b, int batch, int recordsEnd) {
        return Math.min(recordsEnd, batch + LOG_OVERHEAD + Bytes.getInt(b, batch + LENGTH));
    }

    /** Kafka's batch CRC: CRC-32C from the attributes to the batch's end. */
    private static void fixCrc(byte[] b, int batch, int batchEnd) {
        if (batchEnd - batch <= ATTRIBUTES || batchEnd > b.length) {
            return;
        }
        CRC32C crc = new CRC32C();
        crc.update(b, batch + ATTRIBUTES, batchEnd - batch - ATTRIBUTES);
        Bytes.putInt(b, batch + CRC, (int) crc.getValue());
    }

    private static void field(byte[] b, int at, int width, int value, String name, StringBuilder log) {
        switch (width) {
            case 1 -> b[at] = (byte) value;
            case 2 -> Bytes.putShort(b, at, value);
            default -> Bytes.putInt(b, at, value);
        }
        log.append(' ').append(name).append('=').append(value);
    }

    private static void longField(byte[] b, int at, long value, String name, StringBuilder log) {
        Bytes.putLong(b, at, value);
        log.append(' ').append(name).append('=').append(value);
    }

    private static int pick(SplittableRandom rnd, int... values) {
        return values[rnd.nextInt(values.length)];
    }

    private static long pick(SplittableRandom rnd, long... values) {
        return values[rnd.nextInt(values.length)];
    }
}
