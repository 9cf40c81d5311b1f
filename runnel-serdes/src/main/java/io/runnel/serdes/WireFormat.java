package io.runnel.serdes;

import java.nio.ByteBuffer;
import org.apache.kafka.common.errors.SerializationException;

/** Confluent's wire format: a 0 magic byte, the schema id as 4 big-endian bytes, then the encoded value. */
public final class WireFormat {
    public static final byte MAGIC = 0;
    public static final int HEADER = 5;

    private WireFormat() {
    }

    public static byte[] frame(int schemaId, byte[] payload) {
        return ByteBuffer.allocate(HEADER + payload.length).put(MAGIC).putInt(schemaId).put(payload).array();
    }

    /** The schema id of framed bytes; the buffer is left at the payload's start. */
    public static int schemaId(ByteBuffer bytes) {
        if (bytes.remaining() < HEADER || bytes.get() != MAGIC) {
            throw new SerializationException("Unknown magic byte: not Confluent's wire format");
        }
        return bytes.getInt();
    }
}
