package io.runnel.serdes.json;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.runnel.serdes.RegisteredSchema;
import io.runnel.serdes.SchemaRegistryClient;
import io.runnel.serdes.SerdeConfig;
import io.runnel.serdes.WireFormat;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Map;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Reads what Confluent's JSON Schema serializers wrote: checks the id names a JSON schema in the registry, then maps
 * the JSON to {@code json.value.type} / {@code json.key.type} (Confluent's settings) or, without one, a JsonNode.
 */
public class KafkaJsonSchemaDeserializer<T> implements Deserializer<T> {
    public static final String JSON_KEY_TYPE = "json.key.type";
    public static final String JSON_VALUE_TYPE = "json.value.type";
    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private SchemaRegistryClient client;
    private Class<?> type = JsonNode.class;

    public KafkaJsonSchemaDeserializer() {
    }

    public KafkaJsonSchemaDeserializer(SchemaRegistryClient client, Class<T> type) {
        this.client = client;
        this.type = type;
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        SerdeConfig config = new SerdeConfig(configs, isKey);
        client = new SchemaRegistryClient(config);
        Class<?> configured = config.type(isKey ? JSON_KEY_TYPE : JSON_VALUE_TYPE);
        type = configured == null ? JsonNode.class : configured;
    }

    @Override
    @SuppressWarnings("unchecked")
    public T deserialize(String topic, byte[] data) {
        if (data == null) {
            return null;
        }
        ByteBuffer bytes = ByteBuffer.wrap(data);
        int id = WireFormat.schemaId(bytes);
        RegisteredSchema schema = client.byId(id);
        if (!"JSON".equals(schema.schemaType())) {
            throw new SerializationException("Schema " + id + " is " + schema.schemaType() + ", not JSON");
        }
        try {
            return (T) JSON.readValue(data, bytes.position(), bytes.remaining(), type);
        } catch (IOException e) {
            throw new SerializationException("Cannot read JSON with schema id " + id + " as " + type.getName()
                    + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
    }
}
