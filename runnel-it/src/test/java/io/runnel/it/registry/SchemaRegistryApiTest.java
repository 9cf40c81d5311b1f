package io.runnel.it.registry;

import static io.runnel.it.registry.RegistryHttp.schemaBody;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.util.concurrent.TimeUnit;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Every endpoint of the built-in registry over HTTP, with Confluent's answers: registration and reads by subject,
 * version and id, lookups, soft and permanent deletes, config and mode, and Confluent's error codes.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class SchemaRegistryApiTest extends RegistryOnOneBroker {
    static final String USER = "{\"type\":\"record\",\"name\":\"User\",\"namespace\":\"course\",\"fields\":["
            + "{\"name\":\"name\",\"type\":\"string\"}]}";
    static final String USER_V2 = "{\"type\":\"record\",\"name\":\"User\",\"namespace\":\"course\",\"fields\":["
            + "{\"name\":\"name\",\"type\":\"string\"},{\"name\":\"age\",\"type\":\"int\",\"default\":0}]}";
    /** Each test its own schemas: ids are global, so a schema shared between tests would share ids. */
    static final String DELETED = USER.replace("User", "Deleted");
    static final String DELETED_V2 = USER_V2.replace("User", "Deleted");
    @Test
    void registerThenReadBySubjectVersionAndId() throws Exception {
        int id = register("users-value", USER);
        assertEquals(id, register("users-value", "  " + USER + "\n"), "the same schema keeps its id");
        String canonical = new Schema.Parser().parse(USER).toString();

        assertEquals(new JsonArray().add(1), array(ok(registry.get("/subjects/users-value/versions"))));
        JsonObject v1 = object(ok(registry.get("/subjects/users-value/versions/1")));
        assertEquals(new JsonObject().put("subject", "users-value").put("version", 1).put("id", id)
                .put("schema", canonical), v1);
        assertEquals(v1, object(ok(registry.get("/subjects/users-value/versions/latest"))));
        assertEquals(v1, object(ok(registry.get("/subjects/users-value/versions/-1"))));
        assertEquals(canonical, ok(registry.get("/subjects/users-value/versions/1/schema")).body());

        assertEquals(new JsonObject().put("schema", canonical), object(ok(registry.get("/schemas/ids/" + id))));
        assertEquals(canonical, ok(registry.get("/schemas/ids/" + id + "/schema")).body());
        assertEquals(new JsonArray().add(new JsonObject().put("subject", "users-value").put("version", 1)),
                array(ok(registry.get("/schemas/ids/" + id + "/versions"))));
        assertEquals(new JsonArray().add("users-value"), array(ok(registry.get("/schemas/ids/" + id + "/subjects"))));
        assertEquals(new JsonArray().add("JSON").add("PROTOBUF").add("AVRO"),
                array(ok(registry.get("/schemas/types"))));

        assertEquals(v1, object(ok(registry.post("/subjects/users-value", schemaBody(USER)))), "lookup");
        assertEquals(id, register("users-copy", USER), "one id per schema across subjects");
        assertTrue(array(ok(registry.get("/subjects"))).contains("users-copy"));
        assertEquals(new JsonArray().add("users-copy"), array(ok(registry.get("/subjects?subjectPrefix=users-c"))));

        int v2 = register("users-value", USER_V2);
        assertTrue(v2 > id);
        assertEquals(2, object(ok(registry.get("/subjects/users-value/versions/latest"))).getInteger("version"));
        HttpResponse<String> answer = registry.get("/subjects/users-value/versions/1");
        assertEquals(RegistryHttp.CONTENT_TYPE, answer.headers().firstValue("Content-Type").orElse(""));
    }

    @Test
    void softAndPermanentDeletes() throws Exception {
        int first = register("deletes", DELETED);
        register("deletes", DELETED_V2);
        assertEquals("2", ok(registry.delete("/subjects/deletes/versions/2")).body());
        assertEquals(new JsonArray().add(1), array(ok(registry.get("/subjects/deletes/versions"))));
        assertEquals(new JsonArray().add(1).add(2), array(ok(registry.get("/subjects/deletes/versions?deleted=true"))));
        error(registry.delete("/subjects/deletes/versions/2"), 404, 40406);
        error(registry.delete("/subjects/deletes/versions/1?permanent=true"), 404, 40407);
        assertEquals("2", ok(registry.delete("/subjects/deletes/versions/2?permanent=true")).body());
        error(registry.get("/subjects/deletes/versions/2?deleted=true"), 404, 40402);

        assertEquals(new JsonArray().add(1), array(ok(registry.delete("/subjects/deletes"))));
        assertTrue(!array(ok(registry.get("/subjects"))).contains("deletes"));
        assertTrue(array(ok(registry.get("/subjects?deleted=true"))).contains("deletes"));
        error(registry.get("/subjects/deletes/versions"), 404, 40401);
        ok(registry.get("/schemas/ids/" + first));
        error(registry.delete("/subjects/deletes"), 404, 40404);
        assertEquals(new JsonArray().add(1), array(ok(registry.delete("/subjects/deletes?permanent=true"))));
        assertTrue(!array(ok(registry.get("/subjects?deleted=true"))).contains("deletes"));

        String fresh = DELETED.replace("Deleted", "Fresh");
        int later = register("deletes", fresh);
        assertTrue(later > first, "a new schema takes a new id, never a deleted one's");
        assertEquals(1, object(ok(registry.get("/subjects/deletes/versions/latest"))).getInteger("version"));
    }

    @Test
    void configAndModeGlobalAndPerSubject() throws Exception {
        assertEquals(new JsonObject().put("compatibilityLevel", "BACKWARD"), object(ok(registry.get("/config"))));
        error(registry.get("/config/configured"), 404, 40408);
        assertEquals(new JsonObject().put("compatibilityLevel", "BACKWARD"),
                object(ok(registry.get("/config/configured?defaultToGlobal=true"))));
        assertEquals(new JsonObject().put("compatibility", "FULL"),
                object(ok(registry.put("/config/configured", "{\"compatibility\":\"full\"}"))));
        assertEquals(new JsonObject().put("compatibilityLevel", "FULL"),
                object(ok(registry.get("/config/configured"))));
        assertEquals(new JsonObject().put("compatibilityLevel", "FULL"),
                object(ok(registry.delete("/config/configured"))));
        error(registry.get("/config/configured"), 404, 40408);
        error(registry.put("/config", "{\"compatibility\":\"SIDEWAYS\"}"), 422, 42203);

        assertEquals(new JsonObject().put("mode", "READWRITE"), object(ok(registry.get("/mode"))));
        assertEquals(new JsonObject().put("mode", "READONLY"),
                object(ok(registry.put("/mode/frozen", "{\"mode\":\"READONLY\"}"))));
        error(registry.post("/subjects/frozen/versions", schemaBody(USER.replace("User", "Frozen"))), 422, 42205);
        ok(registry.put("/mode/frozen", "{\"mode\":\"READWRITE\"}"));
        register("frozen", USER.replace("User", "Frozen"));
        error(registry.put("/mode", "{\"mode\":\"SOMETIMES\"}"), 422, 42204);
    }

    @Test
    void importModeTakesExplicitIdsAndVersionsAndNewIdsGoPastThem() throws Exception {
        String imported = USER.replace("User", "Imported");
        String explicit = new JsonObject().put("schema", imported).put("id", 5000).put("version", 7).encode();
        error(registry.post("/subjects/imported/versions", explicit), 422, 42205);
        ok(registry.put("/mode/imported", "{\"mode\":\"IMPORT\"}"));
        assertEquals(new JsonObject().put("id", 5000), object(ok(registry.post("/subjects/imported/versions",
                explicit))));
        error(registry.post("/subjects/imported/versions", new JsonObject().put("schema", USER.replace("User",
                "Other")).put("id", 5000).encode()), 422, 42205);
        ok(registry.put("/mode/imported", "{\"mode\":\"READWRITE\"}"));
        assertEquals(7, object(ok(registry.get("/subjects/imported/versions/latest"))).getInteger("version"));
        assertEquals(new Schema.Parser().parse(imported).toString(), ok(registry.get("/schemas/ids/5000/schema"))
                .body());
        assertTrue(register("after-import", USER.replace("User", "AfterImport")) > 5000);
    }

    @Test
    void confluentErrorCodes() throws Exception {
        register("errors", USER.replace("User", "Errored"));
        error(registry.get("/subjects/nobody/versions"), 404, 40401);
        error(registry.get("/subjects/nobody/versions/1"), 404, 40401);
        error(registry.get("/subjects/errors/versions/7"), 404, 40402);
        error(registry.get("/schemas/ids/999999"), 404, 40403);
        error(registry.get("/schemas/ids/not-a-number"), 404, 40403);
        error(registry.post("/subjects/errors", schemaBody(USER.replace("User", "Other"))), 404, 40403);
        error(registry.post("/subjects/errors/versions", schemaBody("{\"type\":\"record\",\"name\":\"R\"}")), 422,
                42201);
        error(registry.post("/subjects/errors/versions", schemaBody("not json")), 422, 42201);
        error(registry.post("/subjects/errors/versions", "{}"), 422, 42201);
        error(registry.post("/subjects/errors/versions", new JsonObject().put("schema", "{}")
                .put("schemaType", "PROTOBUF").encode()), 422, 42201);
        error(registry.get("/subjects/errors/versions/abc"), 422, 42202);
        error(registry.get("/subjects/errors/versions/0"), 422, 42202);
        error(registry.get("/no/such/path"), 404, 404);
    }

    static int register(String subject, String schema) throws Exception {
        return object(ok(registry.post("/subjects/" + subject + "/versions", schemaBody(schema)))).getInteger("id");
    }

    static HttpResponse<String> ok(HttpResponse<String> response) {
        assertEquals(200, response.statusCode(), response.body());
        return response;
    }

    static void error(HttpResponse<String> response, int status, int errorCode) {
        assertEquals(status, response.statusCode(), response.body());
        JsonObject body = new JsonObject(response.body());
        assertEquals(errorCode, body.getInteger("error_code"), response.body());
        assertTrue(body.getString("message") != null && !body.getString("message").contains("\tat "),
                response.body());
    }

    static JsonObject object(HttpResponse<String> response) {
        return new JsonObject(response.body());
    }

    static JsonArray array(HttpResponse<String> response) {
        return new JsonArray(response.body());
    }
}
