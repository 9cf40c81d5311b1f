package io.runnel.registry.schema;

import io.runnel.registry.RegistryException;
import java.util.List;
import java.util.Map;

/** The schema types this registry takes, each parsed by its own library. */
public final class SchemaTypes {
    public static final String AVRO = "AVRO";
    public static final String JSON = "JSON";
    public static final String PROTOBUF = "PROTOBUF";
    /** In the order Confluent's {@code GET /schemas/types} answers. */
    public static final List<String> ALL = List.of(JSON, PROTOBUF, AVRO);

    private SchemaTypes() {
    }

    /** The type a request names (AVRO when it names none); 42201 for a type this registry does not know. */
    public static String checkType(String schemaType) {
        String type = schemaType == null ? AVRO : schemaType;
        if (!ALL.contains(type)) {
            throw RegistryException.invalidSchema("Unknown schema type " + type + ": valid types are " + ALL);
        }
        return type;
    }

    /** Parses schema text of that type; 42201 with the library's reason when it is not a valid schema. */
    public static ParsedSchema parse(String schemaType, String text) {
        return parse(schemaType, text, Map.of());
    }

    /**
     * Parses schema text that references other schemas: {@code referenced} maps each name the text (or a schema it
     * references) uses to that schema's text, the ones a schema depends on before it.
     */
    public static ParsedSchema parse(String schemaType, String text, Map<String, String> referenced) {
        String type = checkType(schemaType);
        if (text == null || text.isBlank()) {
            throw RegistryException.invalidSchema("Empty schema");
        }
        try {
            return switch (type) {
                case JSON -> JsonSchema.parse(text, referenced);
                case PROTOBUF -> ProtobufSchema.parse(text);
                default -> AvroSchema.parse(text, referenced.values());
            };
        } catch (RegistryException e) {
            throw e;
        } catch (RuntimeException e) {
            // Each library has its own parse exceptions, and lets some malformed input through as other ones.
            throw RegistryException.invalidSchema(String.valueOf(e.getMessage()));
        }
    }
}
