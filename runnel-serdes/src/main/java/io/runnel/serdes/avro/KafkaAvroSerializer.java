package io.runnel.serdes.avro;

import io.runnel.serdes.RegisteredSchema;
import io.runnel.serdes.SchemaResolver;
import io.runnel.serdes.SerdeConfig;
import io.runnel.serdes.WireFormat;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Writes Avro values (generic or specific records, and the primitives: null, Boolean, Integer, Long, Float, Double,
 * CharSequence, byte[]) in Confluent's wire format, byte for byte as Confluent's {@code KafkaAvroSerializer} does:
 * 0, the schema id, then Avro binary (a byte[] as it is). Configured with Confluent's names ({@link SerdeConfig}).
 */
public class KafkaAvroSerializer implements Serializer<Object> {
    private SchemaResolver resolver;
    private final Map<String, Schema> parsed = new ConcurrentHashMap<>();

    public KafkaAvroSerializer() {
    }

    /** Ready to use without {@link #configure}, as the constructor Confluent's serializer also has. */
    public KafkaAvroSerializer(SchemaResolver resolver) {
        this.resolver = resolver;
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        resolver = new SchemaResolver(new SerdeConfig(configs, isKey));
    }

    @Override
    public byte[] serialize(String topic, Object value) {
        if (value == null) {
            return null;
        }
        Schema own = AvroTypes.schemaOf(value);
        RegisteredSchema registered = resolver.forWriting(topic, "AVRO", own.toString(),
                own.getType() == Schema.Type.RECORD ? own.getFullName() : null);
        Schema writer = registered.schema().equals(own.toString()) ? own
                : parsed.computeIfAbsent(registered.schema(), text -> new Schema.Parser().parse(text));
        return WireFormat.frame(registered.id(), encode(writer, value));
    }

    private static byte[] encode(Schema writer, Object value) {
        if (value instanceof byte[] bytes) {
            return bytes;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
        // The record's own class, not one looked up by the schema's name (which Avro allows for trusted packages only).
        DatumWriter<Object> datumWriter = value instanceof SpecificRecord
                ? new SpecificDatumWriter<>(writer, SpecificData.getForClass(value.getClass()))
                : new GenericDatumWriter<>(writer);
        try {
            datumWriter.write(value, encoder);
            encoder.flush();
        } catch (IOException | RuntimeException e) {
            throw new SerializationException("Cannot write " + value.getClass().getName() + " with schema "
                    + writer.getFullName() + ": " + e.getMessage(), e);
        }
        return out.toByteArray();
    }

    @Override
    public void close() {
    }
}
