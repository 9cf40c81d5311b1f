package io.runnel.it.registry;

import static io.runnel.it.registry.SchemaRegistryApiTest.error;
import static io.runnel.it.registry.SchemaRegistryApiTest.object;
import static io.runnel.it.registry.SchemaRegistryApiTest.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * JSON Schema and Protobuf through the REST API: registration answers an id and the version carries its schemaType,
 * lookup finds it, a backward-compatible change registers, an incompatible one is refused with 409 (and
 * {@code /compatibility} says so first), and an invalid schema is 42201. Schemas of each type reference schemas
 * registered under other subjects, and a referenced version is not deleted while one references it.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SchemaTypesAndReferencesTest extends RegistryOnOneBroker {
    private static final String JSON_V1 = "{\"type\":\"object\",\"additionalProperties\":false,"
            + "\"properties\":{\"name\":{\"type\":\"string\"}},\"required\":[\"name\"]}";
    /** An optional property in a closed model: old documents never had it. */
    private static final String JSON_ADD_OPTIONAL = JSON_V1.replace("\"name\":{\"type\":\"string\"}",
            "\"name\":{\"type\":\"string\"},\"age\":{\"type\":\"integer\"}");
    /** name becomes a number: no old document is valid any more. */
    private static final String JSON_RETYPED = JSON_ADD_OPTIONAL.replace("\"name\":{\"type\":\"string\"}",
            "\"name\":{\"type\":\"number\"}");
    private static final String PROTO_V1 = "syntax = \"proto3\";\npackage course;\n\n"
            + "message User {\n  string name = 1;\n  int32 age = 2;\n}\n";
    private static final String PROTO_ADD_FIELD = PROTO_V1.replace("int32 age = 2;",
            "int32 age = 2;\n  string email = 3;");
    /** age's number now carries a string: old varints do not read as length-delimited text. */
    private static final String PROTO_RETYPED = PROTO_ADD_FIELD.replace("int32 age = 2;", "string age = 2;");

    @Test
    void jsonSchemasRegisterEvolveAndRefuseIncompatibleChanges() throws Exception {
        evolve("users-json-value", "JSON", JSON_V1, JSON_ADD_OPTIONAL, JSON_RETYPED);
        error(registry.post("/subjects/users-json-value/versions", body("JSON", "{\"type\":\"no-such-type\"}")),
                422, 42201);
        error(registry.post("/subjects/users-json-value/versions", body("JSON", "{\"type\":")), 422, 42201);
    }

    @Test
    void protobufSchemasRegisterEvolveAndRefuseIncompatibleChanges() throws Exception {
        evolve("users-proto-value", "PROTOBUF", PROTO_V1, PROTO_ADD_FIELD, PROTO_RETYPED);
        error(registry.post("/subjects/users-proto-value/versions", body("PROTOBUF", "message {")), 422, 42201);
    }

    @Test
    void theSameTextUnderAnotherTypeIsAnotherSchema() throws Exception {
        String text = "{\"type\":\"string\"}";
        int avro = object(ok(registry.post("/subjects/same-text-avro/versions", body("AVRO", text))))
                .getInteger("id");
        int json = object(ok(registry.post("/subjects/same-text-json/versions", body("JSON", text))))
                .getInteger("id");
        assertNotEquals(avro, json);
        assertEquals("JSON", object(ok(registry.get("/schemas/ids/" + json))).getString("schemaType"));
    }

    @Test
    void schemasOfEachTypeReferenceOtherSubjects() throws Exception {
        String address = "{\"type\":\"record\",\"name\":\"Address\",\"namespace\":\"course\","
                + "\"fields\":[{\"name\":\"city\",\"type\":\"string\"}]}";
        String user = "{\"type\":\"record\",\"name\":\"User\",\"namespace\":\"course\","
                + "\"fields\":[{\"name\":\"home\",\"type\":\"course.Address\"}]}";
        referenced("AVRO", "course.Address", address, user);

        referenced("JSON", "address.json", "{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}}}",
                "{\"type\":\"object\",\"properties\":{\"home\":{\"$ref\":\"address.json\"}}}");

        referenced("PROTOBUF", "address.proto",
                "syntax = \"proto3\";\npackage course;\nmessage Address { string city = 1; }\n",
                "syntax = \"proto3\";\npackage course;\nimport \"address.proto\";\n"
                        + "message User { Address home = 1; }\n");
    }

    /**
     * A version another version references, soft-deleted or not, may not be deleted (42206, Confluent's "One or more
     * references exist to the schema"), nor its subject; once the referencing version is gone for good it may.
     */
    @Test
    void aReferencedVersionIsNotDeletedWhileAVersionReferencesIt() throws Exception {
        ok(registry.post("/subjects/kept-address/versions", body("AVRO", "{\"type\":\"record\",\"name\":"
                + "\"Kept\",\"fields\":[{\"name\":\"city\",\"type\":\"string\"}]}")));
        String user = new JsonObject().put("schema", "{\"type\":\"record\",\"name\":\"Keeper\",\"fields\":"
                + "[{\"name\":\"home\",\"type\":\"Kept\"}]}").put("references", new JsonArray().add(new JsonObject()
                .put("name", "Kept").put("subject", "kept-address").put("version", 1))).encode();
        ok(registry.post("/subjects/keeper/versions", user));

        error(registry.delete("/subjects/kept-address/versions/1"), 422, 42206);
        error(registry.delete("/subjects/kept-address"), 422, 42206);
        ok(registry.delete("/subjects/keeper/versions/1"));
        error(registry.delete("/subjects/kept-address/versions/1"), 422, 42206);
        ok(registry.delete("/subjects/keeper/versions/1?permanent=true"));
        ok(registry.delete("/subjects/kept-address/versions/1"));
        ok(registry.delete("/subjects/kept-address/versions/1?permanent=true"));
    }

    /** Registers the referenced schema, then one using it by name; a reference to nothing registered is 42201. */
    private static void referenced(String type, String name, String referencedSchema, String schema)
            throws Exception {
        String target = "ref-" + type.toLowerCase(java.util.Locale.ROOT) + "-address";
        ok(registry.post("/subjects/" + target + "/versions", body(type, referencedSchema)));
        JsonArray references = new JsonArray().add(new JsonObject().put("name", name).put("subject", target)
                .put("version", 1));
        String withReferences = new JsonObject().put("schemaType", type).put("schema", schema)
                .put("references", references).encode();
        String subject = "/subjects/ref-" + type.toLowerCase(java.util.Locale.ROOT) + "-user";
        int id = object(ok(registry.post(subject + "/versions", withReferences))).getInteger("id");
        assertEquals(references, object(ok(registry.get(subject + "/versions/latest"))).getJsonArray("references"));
        assertEquals(references, object(ok(registry.get("/schemas/ids/" + id))).getJsonArray("references"));
        assertEquals(id, object(ok(registry.post(subject, withReferences))).getInteger("id"));

        String dangling = new JsonObject().put("schemaType", type).put("schema", schema).put("references",
                new JsonArray().add(new JsonObject().put("name", name).put("subject", target).put("version", 9)))
                .encode();
        error(registry.post(subject + "/versions", dangling), 422, 42201);
    }

    /** Registers v1, looks it up, checks and registers the compatible change, then refuses the incompatible one. */
    private static void evolve(String subject, String type, String v1, String compatible, String incompatible)
            throws Exception {
        String versions = "/subjects/" + subject + "/versions";
        int id = object(ok(registry.post(versions, body(type, v1)))).getInteger("id");
        JsonObject latest = object(ok(registry.get(versions + "/latest")));
        assertEquals(type, latest.getString("schemaType"), latest.encode());
        assertEquals(id, latest.getInteger("id"));
        assertEquals(type, object(ok(registry.get("/schemas/ids/" + id))).getString("schemaType"));
        // Lookup and re-registration find it again, whitespace aside.
        String reformatted = v1.replace(",", ", ").replace("\n", "\n\n");
        assertEquals(id, object(ok(registry.post("/subjects/" + subject, body(type, reformatted)))).getInteger("id"));
        assertEquals(id, object(ok(registry.post(versions, body(type, reformatted)))).getInteger("id"));

        String check = "/compatibility/subjects/" + subject + "/versions/latest?verbose=true";
        assertEquals(true, object(ok(registry.post(check, body(type, compatible)))).getBoolean("is_compatible"));
        int next = object(ok(registry.post(versions, body(type, compatible)))).getInteger("id");
        assertTrue(next > id);

        JsonObject refused = object(ok(registry.post(check, body(type, incompatible))));
        assertEquals(false, refused.getBoolean("is_compatible"), refused.encode());
        assertTrue(!refused.getJsonArray("messages").isEmpty(), refused.encode());
        HttpResponse<String> registered = registry.post(versions, body(type, incompatible));
        error(registered, 409, 409);
        assertTrue(new JsonObject(registered.body()).getString("message").contains("incompatible"));
        assertEquals(2, object(ok(registry.get(versions + "/latest"))).getInteger("version"));
    }

    private static String body(String type, String schema) {
        return new JsonObject().put("schemaType", type).put("schema", schema).encode();
    }
}
