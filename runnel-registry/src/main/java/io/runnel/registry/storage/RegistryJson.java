package io.runnel.registry.storage;

import io.runnel.registry.storage.RegistryKey.KeyType;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The JSON shapes of {@code _schemas} records as Confluent's registry writes them, so a topic copied from a Confluent
 * installation reads as is and Confluent's registry reads ours: keys
 * {@code {"keytype":"SCHEMA","subject":"s","version":1,"magic":1}} (magic 0 for the other key types, no subject for
 * the global CONFIG and MODE), values {@code {"subject","version","id","schemaType","schema","references","deleted"}}
 * with schemaType left out for AVRO and references when there are none, {@code {"compatibilityLevel":...}},
 * {@code {"mode":...}} and {@code {"subject","version"}} for a subject delete.
 */
public final class RegistryJson {
    private RegistryJson() {
    }

    public static byte[] key(RegistryKey key) {
        JsonObject json = new JsonObject().put("keytype", key.type().name());
        if (key.subject() != null) {
            json.put("subject", key.subject());
        }
        if (key.type() == KeyType.SCHEMA) {
            json.put("version", key.version());
        }
        json.put("magic", key.type() == KeyType.SCHEMA ? 1 : 0);
        return bytes(json);
    }

    /** The key, or null for a key type this registry does not keep (Confluent's newer ones, contexts). */
    public static RegistryKey parseKey(byte[] bytes) {
        JsonObject json = parse(bytes);
        KeyType type;
        try {
            type = KeyType.valueOf(json.getString("keytype", ""));
        } catch (IllegalArgumentException other) {
            return null;
        }
        return new RegistryKey(type, json.getString("subject"), json.getInteger("version", 0));
    }

    public static byte[] schemaValue(SchemaRecord record) {
        JsonObject json = new JsonObject().put("subject", record.subject()).put("version", record.version())
                .put("id", record.id());
        if (!SchemaRecord.AVRO.equals(record.schemaType())) {
            json.put("schemaType", record.schemaType());
        }
        json.put("schema", record.schema());
        if (!record.references().isEmpty()) {
            JsonArray references = new JsonArray();
            record.references().forEach(r -> references.add(new JsonObject().put("name", r.name())
                    .put("subject", r.subject()).put("version", r.version())));
            json.put("references", references);
        }
        return bytes(json.put("deleted", record.deleted()));
    }

    public static SchemaRecord parseSchemaValue(byte[] bytes) {
        JsonObject json = parse(bytes);
        return new SchemaRecord(json.getString("subject"), json.getInteger("version"), json.getInteger("id"),
                json.getString("schemaType", SchemaRecord.AVRO), json.getString("schema"),
                references(json.getJsonArray("references", new JsonArray())), json.getBoolean("deleted", false));
    }

    /** Confluent's {@code [{"name","subject","version"}]}, in a SchemaValue or a registration request. */
    public static List<SchemaReference> references(JsonArray array) {
        List<SchemaReference> references = new ArrayList<>();
        for (Object element : array) {
            if (!(element instanceof JsonObject reference) || !(reference.getValue("name") instanceof String name)
                    || !(reference.getValue("subject") instanceof String subject)
                    || !(reference.getValue("version") instanceof Integer version)) {
                throw new IllegalArgumentException("a reference is {\"name\": string, \"subject\": string, "
                        + "\"version\": int}");
            }
            references.add(new SchemaReference(name, subject, version));
        }
        return references;
    }

    public static byte[] configValue(String compatibilityLevel) {
        return bytes(new JsonObject().put("compatibilityLevel", compatibilityLevel));
    }

    public static String parseConfigValue(byte[] bytes) {
        return parse(bytes).getString("compatibilityLevel");
    }

    public static byte[] modeValue(String mode) {
        return bytes(new JsonObject().put("mode", mode));
    }

    public static String parseModeValue(byte[] bytes) {
        return parse(bytes).getString("mode");
    }

    /** The latest version a DELETE_SUBJECT or CLEAR_SUBJECT record covers. */
    public static int parseSubjectDeleteVersion(byte[] bytes) {
        return parse(bytes).getInteger("version", Integer.MAX_VALUE);
    }

    private static byte[] bytes(JsonObject json) {
        return json.encode().getBytes(StandardCharsets.UTF_8);
    }

    private static JsonObject parse(byte[] bytes) {
        return new JsonObject(Buffer.buffer(bytes));
    }
}
