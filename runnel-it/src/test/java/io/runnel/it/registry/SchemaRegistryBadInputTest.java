package io.runnel.it.registry;

import static io.runnel.it.registry.RegistryHttp.schemaBody;
import static io.runnel.it.registry.SchemaRegistryApiTest.error;
import static io.runnel.it.registry.SchemaRegistryApiTest.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.runnel.it.RoundTrip;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Bad input to the registry gets Confluent's 4xx error JSON, never a 5xx or a stack trace, and neither the registry
 * nor the broker it runs beside stops serving.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class SchemaRegistryBadInputTest extends RegistryOnOneBroker {
    @Test
    void malformedBodiesWrongTypesAndOversizeAre4xx() throws Exception {
        String path = "/subjects/bad/versions";
        error(registry.post(path, "{\"schema\": "), 400, 400);
        error(registry.post(path, "[1,2,3]"), 422, 422);
        error(registry.post(path, ""), 422, 422);
        error(registry.post(path, "{\"schema\": 5}"), 422, 42201);
        error(registry.post(path, "{\"schema\": \"\\\"string\\\"\", \"references\": 7}"), 422, 422);
        error(registry.send(path, "POST", "text/plain", schemaBody("\"string\"")), 415, 415);
        error(registry.send(path, "POST", "application/xml", "<schema/>"), 415, 415);
        error(registry.post(path, schemaBody("\"" + "x".repeat(600 * 1024) + "\"")), 413, 413);
        error(registry.put("/config", "{\"compatibility\": {\"nested\": true}}"), 422, 42203);
        error(registry.send("/subjects", "PATCH", RegistryHttp.CONTENT_TYPE, "{}"), 405, 405);
        error(registry.post(path, schemaBody("{\"type\":\"record\",\"name\":\"1-bad name\",\"fields\":[]}")), 422,
                42201);
        error(registry.post(path, schemaBody("{\"type\":\"record\",\"name\":\"R\",\"fields\":[{\"name\":\"a\","
                + "\"type\":\"int\",\"default\":\"not an int\"}]}")), 422, 42201);

        // Plain application/json is taken as well as Confluent's own media type.
        ok(registry.send(path, "POST", "application/json", schemaBody("\"string\"")));
        assertEquals(200, registry.get("/subjects/bad/versions/1").statusCode());
        RoundTrip.run(cluster, "after-bad-registry-input", 1, 100, new Properties());
    }
}
