package io.runnel.serdes.avro;

import io.runnel.serdes.RegisteredSchema;
import io.runnel.serdes.SchemaRegistryClient;
import io.runnel.serdes.SerdeConfig;
import io.runnel.serdes.WireFormat;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Reads what Confluent's Avro serializers (and {@link KafkaAvroSerializer}) wrote: the schema named by the id in the
 * bytes is fetched once from the registry. Records come back as GenericRecord, or with {@code specific.avro.reader}
 * as a generated SpecificRecord class (Avro resolves the writer's schema to that class's): the one
 * {@code specific.avro.value.type} / {@code specific.avro.key.type} names, else the class of the record's full name,
 * which Avro loads only from packages listed in the system property {@code org.apache.avro.SERIALIZABLE_PACKAGES}.
 * A top-level string comes back as a String, bytes as byte[].
 */
public class KafkaAvroDeserializer implements Deserializer<Object> {
    public static final String SPECIFIC_AVRO_READER = "specific.avro.reader";
    public static final String SPECIFIC_AVRO_KEY_TYPE = "specific.avro.key.type";
    public static final String SPECIFIC_AVRO_VALUE_TYPE = "specific.avro.value.type";

    private SchemaRegistryClient client;
    private boolean specific;
    private Class<?> specificType;
    private final Map<Integer, Schema> writers = new ConcurrentHashMap<>();

    public KafkaAvroDeserializer() {
    }

    public KafkaAvroDeserializer(SchemaRegistryClient client, boolean specific) {
        this.client = client;
        this.specific = specific;
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        SerdeConfig config = new SerdeConfig(configs, isKey);
        client = new SchemaRegistryClient(config);
        specific = config.flag(SPECIFIC_AVRO_READER, false);
        specificType = config.type(isKey ? SPECIFIC_AVRO_KEY_TYPE : SPECIFIC_AVRO_VALUE_TYPE);
    }

    @Override
    public Object deserialize(String topic, byte[] data) {
        if (data == null) {
            return null;
        }
        ByteBuffer bytes = ByteBuffer.wrap(data);
        int id = WireFormat.schemaId(bytes);
        Schema writer = writers.computeIfAbsent(id, this::avroSchema);
        if (writer.getType() == Schema.Type.BYTES) {
            return Arrays.copyOfRange(data, bytes.position(), data.length);
        }
        try {
            Object value = reader(writer).read(null, DecoderFactory.get().binaryDecoder(data, bytes.position(),
                    bytes.remaining(), null));
            return writer.getType() == Schema.Type.STRING ? value.toString() : value;
        } catch (IOException | RuntimeException e) {
            throw new SerializationException("Cannot read Avro data with schema id " + id + ": " + e.getMessage(), e);
        }
    }

    private DatumReader<Object> reader(Schema writer) {
        if (specific && writer.getType() == Schema.Type.RECORD) {
            Class<?> generated = specificType != null ? specificType : SpecificData.get().getClass(writer);
            if (generated == null) {
                throw new SerializationException("specific.avro.reader: no class " + writer.getFullName()
                        + " on the classpath");
            }
            SpecificData data = SpecificData.getForClass(generated);
            return new SpecificDatumReader<>(writer, data.getSchema(generated), data);
        }
        return new GenericDatumReader<>(writer);
    }

    private Schema avroSchema(int id) {
        RegisteredSchema registered = client.byId(id);
        if (!"AVRO".equals(registered.schemaType())) {
            throw new SerializationException("Schema " + id + " is " + registered.schemaType() + ", not AVRO");
        }
        return new Schema.Parser().parse(registered.schema());
    }

    @Override
    public void close() {
    }
}
