package io.runnel.registry.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.runnel.registry.RegistryException;
import io.runnel.registry.compat.Compatibility;
import io.runnel.registry.compat.CompatibilityLevel;
import java.util.List;
import org.junit.jupiter.api.Test;

/** JSON Schemas load through json-sKema and evolve under Confluent's content-model rules. */
class JsonSchemaTest {
    private static final String CLOSED_V1 = "{\"type\":\"object\",\"additionalProperties\":false,"
            + "\"properties\":{\"name\":{\"type\":\"string\"}},\"required\":[\"name\"]}";

    @Test
    void theCanonicalTextIsCompactJson() {
        ParsedSchema schema = json("{ \"type\" : \"object\",\n \"properties\": {\"a\": {\"type\": \"string\"}} }");
        assertEquals("{\"type\":\"object\",\"properties\":{\"a\":{\"type\":\"string\"}}}", schema.canonical());
        assertEquals("JSON", schema.type());
        // What Confluent's Java serializer generates: draft 7, loaded without fetching the meta-schema.
        json("{\"$schema\":\"http://json-schema.org/draft-07/schema#\",\"title\":\"User\",\"type\":\"object\","
                + "\"properties\":{\"name\":{\"type\":\"string\"}}}");
    }

    @Test
    void invalidSchemasAre42201() {
        for (String invalid : List.of("{\"type\":", "[1,2]", "{\"type\":\"no-such-type\"}", "{\"minLength\":\"x\"}",
                "{\"$ref\":\"http://example.com/remote.json\"}")) {
            assertEquals(42201, assertThrows(RegistryException.class, () -> json(invalid), invalid).errorCode(),
                    invalid);
        }
    }

    @Test
    void addingAnOptionalPropertyToAClosedModelIsBackwardCompatible() {
        assertTrue(backward(CLOSED_V1, closed("\"name\":{\"type\":\"string\"},\"age\":{\"type\":\"integer\"}",
                "\"name\"")).isEmpty());
    }

    @Test
    void addingAPropertyToAnOpenModelIsNot() {
        String open = "{\"type\":\"object\",\"properties\":{\"name\":{\"type\":\"string\"}}}";
        String openPlusAge = "{\"type\":\"object\",\"properties\":{\"name\":{\"type\":\"string\"},"
                + "\"age\":{\"type\":\"integer\"}}}";
        assertProblem("PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL", backward(open, openPlusAge));
        // Removing it again is fine: an open reader takes anything under that name.
        assertTrue(backward(openPlusAge, open).isEmpty());
    }

    @Test
    void requiringANewPropertyOrNarrowingATypeIsNot() {
        assertProblem("REQUIRED_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL", backward(CLOSED_V1,
                closed("\"name\":{\"type\":\"string\"},\"age\":{\"type\":\"integer\"}", "\"name\",\"age\"")));
        assertTrue(backward(CLOSED_V1, closed("\"name\":{\"type\":\"string\"},\"age\":{\"type\":\"integer\","
                + "\"default\":0}", "\"name\",\"age\"")).isEmpty());
        assertProblem("TYPE_CHANGED", backward(CLOSED_V1, closed("\"name\":{\"type\":\"integer\"}", "\"name\"")));
        assertProblem("TYPE_NARROWED", backward(closed("\"name\":{\"type\":[\"string\",\"null\"]}", "\"name\""),
                CLOSED_V1));
        // integer data is a number: widening reads it.
        assertTrue(backward(closed("\"n\":{\"type\":\"integer\"}", ""), closed("\"n\":{\"type\":\"number\"}", ""))
                .isEmpty());
    }

    @Test
    void closingTheModelDroppingEnumValuesAndTighteningBoundsAreNot() {
        assertProblem("ADDITIONAL_PROPERTIES_REMOVED", backward("{\"type\":\"object\"}", closed("", "")));
        assertProblem("PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL", backward(CLOSED_V1, closed("", "")));
        assertProblem("ENUM_ARRAY_NARROWED", backward("{\"enum\":[\"a\",\"b\"]}", "{\"enum\":[\"a\"]}"));
        assertTrue(backward("{\"enum\":[\"a\"]}", "{\"enum\":[\"a\",\"b\"]}").isEmpty());
        assertProblem("MAX_LENGTH_DECREASED", backward("{\"type\":\"string\",\"maxLength\":10}",
                "{\"type\":\"string\",\"maxLength\":5}"));
        assertProblem("MINIMUM_INCREASED", backward("{\"type\":\"integer\"}", "{\"type\":\"integer\",\"minimum\":1}"));
    }

    @Test
    void nestedObjectsAndItemsAreCompared() {
        String v1 = "{\"type\":\"array\",\"items\":" + CLOSED_V1 + "}";
        String v2 = "{\"type\":\"array\",\"items\":" + closed("\"name\":{\"type\":\"boolean\"}", "\"name\"") + "}";
        assertProblem("TYPE_CHANGED", backward(v1, v2));
    }

    @Test
    void forwardAndFullLevelsCheckTheOtherDirection() {
        String withAge = closed("\"name\":{\"type\":\"string\"},\"age\":{\"type\":\"integer\"}", "\"name\"");
        // An old closed reader refuses documents carrying the new property.
        assertEquals(1, Compatibility.incompatibilities(CompatibilityLevel.FORWARD, json(withAge),
                List.of(json(CLOSED_V1))).size());
        assertEquals(1, Compatibility.incompatibilities(CompatibilityLevel.FULL, json(withAge),
                List.of(json(CLOSED_V1))).size());
    }

    private static String closed(String properties, String required) {
        return "{\"type\":\"object\",\"additionalProperties\":false,\"properties\":{" + properties + "},"
                + "\"required\":[" + required + "]}";
    }

    private static List<Incompatibility> backward(String before, String after) {
        return json(after).problemsReading(json(before));
    }

    private static void assertProblem(String type, List<Incompatibility> problems) {
        assertTrue(problems.stream().anyMatch(p -> p.type().equals(type)), type + " expected in " + problems);
    }

    private static ParsedSchema json(String text) {
        return SchemaTypes.parse(SchemaTypes.JSON, text);
    }
}
