package io.runnel.serdes;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

/** Confluent's framing: 0, the id big-endian in 4 bytes, the payload; anything else is refused when read. */
class WireFormatTest {
    @Test
    void framesWithTheMagicByteAndTheIdBigEndian() {
        byte[] framed = WireFormat.frame(0x01020304, new byte[] {9, 8});
        assertArrayEquals(new byte[] {0, 1, 2, 3, 4, 9, 8}, framed);
        ByteBuffer read = ByteBuffer.wrap(framed);
        assertEquals(0x01020304, WireFormat.schemaId(read));
        assertEquals(5, read.position());
    }

    @Test
    void refusesAnotherMagicByteOrTooFewBytes() {
        assertThrows(SerializationException.class, () -> WireFormat.schemaId(ByteBuffer.wrap(new byte[] {1, 0, 0,
                0, 1})));
        assertThrows(SerializationException.class, () -> WireFormat.schemaId(ByteBuffer.wrap(new byte[] {0, 0})));
    }
}
