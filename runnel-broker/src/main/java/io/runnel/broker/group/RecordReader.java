package io.runnel.broker.group;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** Reads what {@link RecordWriter} wrote. */
final class RecordReader {
    private final ByteBuffer buffer;

    RecordReader(ByteBuffer buffer) {
        this.buffer = buffer.duplicate();
    }

    short readShort() {
        return buffer.getShort();
    }

    int readInt() {
        return buffer.getInt();
    }

    long readLong() {
        return buffer.getLong();
    }

    String readString() {
        byte[] b = readBytes();
        return b == null ? null : new String(b, StandardCharsets.UTF_8);
    }

    byte[] readBytes() {
        int length = buffer.getInt();
        if (length < 0) {
            return null;
        }
        byte[] b = new byte[length];
        buffer.get(b);
        return b;
    }
}
