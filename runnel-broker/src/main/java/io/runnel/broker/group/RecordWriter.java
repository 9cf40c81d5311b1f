package io.runnel.broker.group;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** Writes the fields of a {@code __consumer_offsets} key or value; the reading side is {@link RecordReader}. */
final class RecordWriter {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
    private final DataOutputStream out = new DataOutputStream(bytes);

    RecordWriter writeShort(int v) {
        try {
            out.writeShort(v);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    RecordWriter writeInt(int v) {
        try {
            out.writeInt(v);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    RecordWriter writeLong(long v) {
        try {
            out.writeLong(v);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    /** Length-prefixed UTF-8; -1 for null. */
    RecordWriter writeString(String s) {
        return writeBytes(s == null ? null : s.getBytes(StandardCharsets.UTF_8));
    }

    /** Length-prefixed; -1 for null. */
    RecordWriter writeBytes(byte[] b) {
        try {
            if (b == null) {
                out.writeInt(-1);
            } else {
                out.writeInt(b.length);
                out.write(b);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    ByteBuffer toBuffer() {
        return ByteBuffer.wrap(bytes.toByteArray());
    }
}
