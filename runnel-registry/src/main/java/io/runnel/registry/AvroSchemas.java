package io.runnel.registry;

import io.runnel.registry.storage.SchemaRecord;
import org.apache.avro.Schema;

/** Schema text to Apache Avro's parsed schema; the only schema type this registry accepts so far. */
final class AvroSchemas {
    private AvroSchemas() {
    }

    /** The type a request names (AVRO when it names none); 42201 for a type this registry does not accept. */
    static String checkType(String schemaType) {
        String type = schemaType == null ? SchemaRecord.AVRO : schemaType;
        if (!SchemaRecord.AVRO.equals(type)) {
            throw new RegistryException(42201, "Invalid schema: schemaType " + type + " is not supported yet "
                    + "(this registry takes AVRO)");
        }
        return type;
    }

    /** Parses with Avro's parser, validating names and defaults; 42201 with Avro's reason when it fails. */
    static Schema parse(String text) {
        if (text == null || text.isBlank()) {
            throw RegistryException.invalidSchema("Empty schema");
        }
        try {
            return new Schema.Parser().setValidateDefaults(true).parse(text);
        } catch (RuntimeException e) {
            // SchemaParseException mostly, but Avro lets some malformed input through as other unchecked exceptions.
            throw RegistryException.invalidSchema(String.valueOf(e.getMessage()));
        }
    }
}
