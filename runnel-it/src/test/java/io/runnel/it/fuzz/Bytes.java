package io.runnel.it.fuzz;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;

/** Big-endian fields and Kafka's unsigned varints in byte arrays, and splicing one part of an array for another. */
final class Bytes {
    private Bytes() {
    }

    static int getShort(byte[] b, int at) {
        return (short) (((b[at] & 0xff) << 8) | (b[at + 1] & 0xff));
    }

    static void putShort(byte[] b, int at, int value) {
        b[at] = (byte) (value >>> 8);
        b[at + 1] = (byte) value;
    }

    static int getInt(byte[] b, int at) {
        return ((b[at] & 0xff) << 24) | ((b[at + 1] & 0xff) << 16) | ((b[at + 2] & 0xff) << 8) | (b[at + 3] & 0xff);
    }

    static void putInt(byte[] b, int at, int value) {
        putShort(b, at, value >>> 16);
        putShort(b, at + 2, value);
    }

    static void putLong(byte[] b, int at, long value) {
        putInt(b, at, (int) (value >>> 32));
        putInt(b, at + 4, (int) value);
    }

    /** The number of bytes of the unsigned varint at {@code at} (at most 5, less where the array ends first). */
    static int varintLength(byte[] b, int at) {
        int n = 0;
        while (at + n < b.length && n < 5) {
            if ((b[at + n++] & 0x80) == 0) {
                break;
            }
        }
        return n;
    }

    /** The unsigned varint at {@code at}, or -1 when it does not end within 5 bytes of the array. */
    static long readUnsignedVarint(byte[] b, int at) {
        long value = 0;
        for (int i = 0; i < 5 && at + i < b.length; i++) {
            value |= (long) (b[at + i] & 0x7f) << (7 * i);
            if ((b[at + i] & 0x80) == 0) {
                return value;
            }
        }
        return -1;
    }

    static byte[] unsignedVarint(long value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(5);
        while ((value & ~0x7fL) != 0) {
            out.write((int) ((value & 0x7f) | 0x80));
            value >>>= 7;
        }
        out.write((int) value);
        return out.toByteArray();
    }

    /** {@code b} with {@code length} bytes at {@code at} replaced by {@code with}. */
    static byte[] replace(byte[] b, int at, int length, byte[] with) {
        byte[] out = new byte[b.length - length + with.length];
        System.arraycopy(b, 0, out, 0, at);
        System.arraycopy(with, 0, out, at, with.length);
        System.arraycopy(b, at + length, out, at + with.length, b.length - at - length);
        return out;
    }

    static byte[] concat(byte[] first, byte[] second) {
        byte[] out = Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, out, first.length, second.length);
        return out;
    }
}
