package io.runnel.broker.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.util.ReferenceCountUtil;
import org.apache.kafka.common.protocol.Writable;
import org.apache.kafka.common.record.internal.BaseRecords;
import org.apache.kafka.common.record.internal.MemoryRecords;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes a message into one buffer, except its record sections: those become parts of their own (the records'
 * buffer wrapped, or a file region), so record bytes are never copied. The output is the ordered list of parts.
 */
final class ByteBufWritable implements Writable {
    private final ByteBuf buf;
    private final List<Object> parts = new ArrayList<>(1);
    /** Where the bytes not yet handed out as a part begin. */
    private int partStart;

    ByteBufWritable(ByteBuf buf) {
        this.buf = buf;
        this.partStart = buf.readerIndex();
    }

    @Override
    public void writeRecords(BaseRecords records) {
        if (records.sizeInBytes() == 0) {
            return;
        }
        Object part;
        if (records instanceof MemoryRecords memory) {
            part = Unpooled.wrappedBuffer(memory.buffer());
        } else if (records instanceof LogSliceRecords slice) {
            part = slice.newRegion();
        } else {
            throw new UnsupportedOperationException("cannot send records of type " + records.getClass().getName());
        }
        cutPart();
        parts.add(part);
    }

    /** The message as parts to write in order; this takes over the buffer's reference. */
    List<Object> finish() {
        if (parts.isEmpty()) {
            parts.add(buf);
        } else {
            cutPart();
            buf.release();
        }
        return parts;
    }

    /** Releases what was produced so far, after a failure to write the message. */
    void discard() {
        parts.forEach(ReferenceCountUtil::release);
        buf.release();
    }

    private void cutPart() {
        int end = buf.writerIndex();
        if (end > partStart) {
            parts.add(buf.retainedSlice(partStart, end - partStart));
            partStart = end;
        }
    }

    @Override
    public void writeByte(byte val) {
        buf.writeByte(val);
    }

    @Override
    public void writeShort(short val) {
        buf.writeShort(val);
    }

    @Override
    public void writeInt(int val) {
        buf.writeInt(val);
    }

    @Override
    public void writeLong(long val) {
        buf.writeLong(val);
    }

    @Override
    public void writeDouble(double val) {
        buf.writeDouble(val);
    }

    @Override
    public void writeByteArray(byte[] arr) {
        buf.writeBytes(arr);
    }

    @Override
    public void writeByteBuffer(ByteBuffer src) {
        buf.writeBytes(src.duplicate());
    }

    @Override
    public void writeUnsignedVarint(int value) {
        while ((value & ~0x7F) != 0) {
            buf.writeByte((value & 0x7F) | 0x80);
            value >>>= 7;
        }
        buf.writeByte(value);
    }

    @Override
    public void writeVarint(int value) {
        writeUnsignedVarint((value << 1) ^ (value >> 31));
    }

    @Override
    public void writeVarlong(long value) {
        long v = (value << 1) ^ (value >> 63);
        while ((v & ~0x7FL) != 0) {
            buf.writeByte(((int) v & 0x7F) | 0x80);
            v >>>= 7;
        }
        buf.writeByte((int) v);
    }
}
