package io.runnel.it.registry;

import static io.runnel.it.registry.RegistryHttp.schemaBody;
import static io.runnel.it.registry.SchemaRegistryApiTest.error;
import static io.runnel.it.registry.SchemaRegistryApiTest.object;
import static io.runnel.it.registry.SchemaRegistryApiTest.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.runnel.registry.compat.CompatibilityLevel;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Schema evolution under each compatibility level, through the REST API: a change the level allows registers, one it
 * forbids is refused with 409, and {@code /compatibility} says the same beforehand (with Avro's reasons when verbose).
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class SchemaEvolutionTest extends RegistryOnOneBroker {
    private static final String V1 = record("{\"name\":\"name\",\"type\":\"string\"}");
    /** Readable both ways: old data lacks age (default), old readers ignore it. */
    private static final String ADD_WITH_DEFAULT = record("{\"name\":\"name\",\"type\":\"string\"},"
            + "{\"name\":\"age\",\"type\":\"int\",\"default\":0}");
    /** Forward only: the new reader finds no age in old data. */
    private static final String ADD_WITHOUT_DEFAULT = record("{\"name\":\"name\",\"type\":\"string\"},"
            + "{\"name\":\"age\",\"type\":\"int\"}");
    /** Backward only: old readers need name, which the new data lacks. */
    private static final String DROP_NAME = record("{\"name\":\"age\",\"type\":\"int\",\"default\":0}");
    /** After DROP_NAME, name comes back as an int: fine against DROP_NAME, not against V1's string. */
    private static final String NAME_AS_INT = record("{\"name\":\"age\",\"type\":\"int\",\"default\":0},"
            + "{\"name\":\"name\",\"type\":\"int\",\"default\":0}");
    private static final Set<CompatibilityLevel> BACKWARD_ONES = Set.of(CompatibilityLevel.BACKWARD,
            CompatibilityLevel.BACKWARD_TRANSITIVE, CompatibilityLevel.FULL, CompatibilityLevel.FULL_TRANSITIVE);
    private static final Set<CompatibilityLevel> FORWARD_ONES = Set.of(CompatibilityLevel.FORWARD,
            CompatibilityLevel.FORWARD_TRANSITIVE, CompatibilityLevel.FULL, CompatibilityLevel.FULL_TRANSITIVE);

    @ParameterizedTest
    @EnumSource(CompatibilityLevel.class)
    void eachLevelAcceptsWhatItAllowsAndRefusesTheRest(CompatibilityLevel level) throws Exception {
        evolve(level, "with-default", List.of(V1), ADD_WITH_DEFAULT, true);
        evolve(level, "without-default", List.of(V1), ADD_WITHOUT_DEFAULT, !BACKWARD_ONES.contains(level));
        evolve(level, "drop-name", List.of(V1), DROP_NAME, !FORWARD_ONES.contains(level));
        evolve(level, "transitive", List.of(V1, DROP_NAME), NAME_AS_INT, !level.transitive);
    }

    @Test
    void aCheckAgainstOneVersionLooksAtThatVersionOnly() throws Exception {
        evolve(CompatibilityLevel.FULL_TRANSITIVE, "one-version", List.of(V1, DROP_NAME), NAME_AS_INT, false);
        String subject = "/compatibility/subjects/evolve-full_transitive-one-version/versions/";
        assertEquals(true, object(ok(registry.post(subject + "latest", schemaBody(NAME_AS_INT))))
                .getBoolean("is_compatible"));
        assertEquals(true, object(ok(registry.post(subject + "2", schemaBody(NAME_AS_INT))))
                .getBoolean("is_compatible"));
        assertEquals(false, object(ok(registry.post(subject + "1", schemaBody(NAME_AS_INT))))
                .getBoolean("is_compatible"));
    }

    @Test
    void theGlobalLevelAppliesToSubjectsWithoutTheirOwn() throws Exception {
        ok(registry.post("/subjects/global-level/versions", schemaBody(V1)));
        try {
            ok(registry.put("/config", "{\"compatibility\":\"NONE\"}"));
            ok(registry.post("/subjects/global-level/versions", schemaBody(ADD_WITHOUT_DEFAULT)));
        } finally {
            ok(registry.put("/config", "{\"compatibility\":\"BACKWARD\"}"));
        }
        error(registry.post("/subjects/global-level/versions", schemaBody(record(
                "{\"name\":\"name\",\"type\":\"string\"},{\"name\":\"x\",\"type\":\"int\"}"))), 409, 409);
    }

    @Test
    void compatibilityOfAnUnknownVersionOrSubject() throws Exception {
        assertEquals(new JsonObject().put("is_compatible", true), object(ok(registry.post(
                "/compatibility/subjects/nobody-yet/versions/latest", schemaBody(V1)))));
        error(registry.post("/compatibility/subjects/nobody-yet/versions/1", schemaBody(V1)), 404, 40401);
        error(registry.post("/compatibility/subjects/nobody-yet/versions/latest", schemaBody("{\"type\":1}")), 422,
                42201);
    }

    /** Registers {@code history} under NONE, sets {@code level}, then checks and registers {@code candidate}. */
    private static void evolve(CompatibilityLevel level, String change, List<String> history, String candidate,
                               boolean allowed) throws Exception {
        String subject = "evolve-" + level.name().toLowerCase(Locale.ROOT) + "-" + change;
        ok(registry.put("/config/" + subject, "{\"compatibility\":\"NONE\"}"));
        for (String schema : history) {
            ok(registry.post("/subjects/" + subject + "/versions", schemaBody(schema)));
        }
        ok(registry.put("/config/" + subject, "{\"compatibility\":\"" + level + "\"}"));
        String what = level + " " + change;

        // Without a version: against the versions the level names, as registration checks.
        JsonObject check = object(ok(registry.post("/compatibility/subjects/" + subject
                + "/versions?verbose=true", schemaBody(candidate))));
        assertEquals(allowed, check.getBoolean("is_compatible"), what + ": " + check);
        assertEquals(allowed, check.getJsonArray("messages").isEmpty(), what + ": " + check);

        HttpResponse<String> registered = registry.post("/subjects/" + subject + "/versions", schemaBody(candidate));
        if (allowed) {
            ok(registered);
            assertEquals(history.size() + 1, object(ok(registry.get("/subjects/" + subject + "/versions/latest")))
                    .getInteger("version"), what);
        } else {
            error(registered, 409, 409);
            assertTrue(new JsonObject(registered.body()).getString("message").contains("incompatible"), what);
        }
    }

    private static String record(String fields) {
        return "{\"type\":\"record\",\"name\":\"Evolving\",\"fields\":[" + fields + "]}";
    }
}
