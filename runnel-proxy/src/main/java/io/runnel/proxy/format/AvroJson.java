package io.runnel.proxy.format;

import io.runnel.proxy.RestErrors;
import io.vertx.core.json.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.io.JsonEncoder;

/**
 * Avro data between the JSON of requests (Avro's JSON encoding, as Confluent's proxy embeds it: a union's branch is
 * {@code {"type": value}}) and Confluent's wire format: magic byte 0, the schema id as 4 bytes big-endian, the Avro
 * binary encoding.
 */
public final class AvroJson {
    private static final byte MAGIC = 0;

    private AvroJson() {
    }

    /** {@code json} (a decoded JSON value) in the wire format of {@code schema} registered as {@code id}. */
    public static byte[] toWire(int id, Schema schema, Object json) {
        try {
            Object datum = new GenericDatumReader<>(schema).read(null,
                    DecoderFactory.get().jsonDecoder(schema, Json.encode(json)));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.write(MAGIC);
            out.write(ByteBuffer.allocate(4).putInt(id).array());
            BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
            new GenericDatumWriter<>(schema).write(datum, encoder);
            encoder.flush();
            return out.toByteArray();
        } catch (IOException | AvroRuntimeException e) {
            throw RestErrors.jsonAvroConversion(e.getMessage());
        }
    }

    /** The schema id of wire-format bytes; an {@link IllegalArgumentException} for bytes not in that format. */
    public static int schemaId(byte[] wire) {
        if (wire.length < 5 || wire[0] != MAGIC) {
            throw new IllegalArgumentException("not Confluent's Avro wire format (magic byte 0 and a schema id)");
        }
        return ByteBuffer.wrap(wire, 1, 4).getInt();
    }

    /** Wire-format bytes written with {@code schema} as a decoded JSON value in Avro's JSON encoding. */
    public static Object toJson(Schema schema, byte[] wire) throws IOException {
        Object datum = new GenericDatumReader<>(schema).read(null,
                DecoderFactory.get().binaryDecoder(wire, 5, wire.length - 5, null));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        JsonEncoder encoder = EncoderFactory.get().jsonEncoder(schema, out);
        new GenericDatumWriter<>(schema).write(datum, encoder);
        encoder.flush();
        return Json.decodeValue(out.toString(StandardCharsets.UTF_8));
    }
}
