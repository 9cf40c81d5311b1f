package io.runnel.serdes.json;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.erosb.jsonsKema.JsonParser;
import com.github.erosb.jsonsKema.SchemaClient;
import com.github.erosb.jsonsKema.SchemaLoader;
import com.github.erosb.jsonsKema.SchemaLoaderConfig;
import com.github.erosb.jsonsKema.ValidationFailure;
import com.github.erosb.jsonsKema.Validator;
import io.runnel.serdes.RegisteredSchema;
import io.runnel.serdes.SchemaResolver;
import io.runnel.serdes.SerdeConfig;
import io.runnel.serdes.WireFormat;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Writes values as JSON (Jackson: a POJO, a Map or a JsonNode) in Confluent's wire format, as Confluent's
 * {@code KafkaJsonSchemaSerializer} does: 0, the schema id, then the JSON text. The schema is the one given to the
 * constructor, or with {@code use.latest.version=true} the subject's latest; {@code json.fail.invalid.schema=true}
 * refuses values the schema does not accept. RecordNameStrategy names a schema by its {@code title}.
 */
public class KafkaJsonSchemaSerializer<T> implements Serializer<T> {
    public static final String FAIL_INVALID_SCHEMA = "json.fail.invalid.schema";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final URI BASE = URI.create("https://schema-registry.runnel.invalid/schemas/schema.json");
    /** The drafts' meta-schemas a {@code $schema} names load as the empty schema; nothing is fetched. */
    private static final SchemaClient OFFLINE = uri -> {
        if (!"json-schema.org".equals(uri.getHost())) {
            throw new SerializationException("json.fail.invalid.schema validates schemas without references; "
                    + uri + " is not in the schema");
        }
        return new ByteArrayInputStream("{}".getBytes(StandardCharsets.UTF_8));
    };

    private final String schema;
    private SchemaResolver resolver;
    private boolean validate;
    private final Map<String, Validator> validators = new ConcurrentHashMap<>();

    /** Writes with the subject's latest schema: configure it with {@code use.latest.version=true}. */
    public KafkaJsonSchemaSerializer() {
        this(null);
    }

    /** Writes with this JSON Schema, registered or looked up under the subject. */
    public KafkaJsonSchemaSerializer(String schema) {
        this.schema = schema;
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        SerdeConfig config = new SerdeConfig(configs, isKey);
        if (schema == null && !config.useLatestVersion()) {
            throw new ConfigException(SerdeConfig.USE_LATEST_VERSION, false,
                    "a JSON Schema serializer built without a schema writes with the latest one: set it to true");
        }
        resolver = new SchemaResolver(config);
        validate = config.flag(FAIL_INVALID_SCHEMA, false);
    }

    @Override
    public byte[] serialize(String topic, T value) {
        if (value == null) {
            return null;
        }
        RegisteredSchema registered = resolver.forWriting(topic, "JSON", schema, schema == null ? null
                : title(schema));
        if (!"JSON".equals(registered.schemaType())) {
            throw new SerializationException("Schema " + registered.id() + " is " + registered.schemaType());
        }
        try {
            JsonNode tree = JSON.valueToTree(value);
            if (validate) {
                check(registered, tree);
            }
            return WireFormat.frame(registered.id(), JSON.writeValueAsBytes(tree));
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new SerializationException("Cannot write " + value.getClass().getName() + " as JSON: "
                    + e.getMessage(), e);
        }
    }

    private void check(RegisteredSchema registered, JsonNode tree) {
        Validator validator = validators.computeIfAbsent(registered.schema(), text -> Validator.forSchema(
                new SchemaLoader(new JsonParser(text, BASE).parse(), new SchemaLoaderConfig(OFFLINE, BASE)).load()));
        ValidationFailure failure = validator.validate(new JsonParser(tree.toString()).parse());
        if (failure != null) {
            throw new SerializationException("Value does not match schema " + registered.id() + ": "
                    + failure.getMessage());
        }
    }

    private static String title(String schema) {
        try {
            JsonNode title = JSON.readTree(schema).path("title");
            return title.isTextual() ? title.asText() : null;
        } catch (JsonProcessingException e) {
            throw new SerializationException("Not a JSON Schema: " + e.getOriginalMessage(), e);
        }
    }

    @Override
    public void close() {
    }
}
