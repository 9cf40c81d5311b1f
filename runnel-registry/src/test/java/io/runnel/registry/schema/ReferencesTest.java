package io.runnel.registry.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.runnel.registry.RegistryException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A schema using another registered one: Avro by type name, JSON Schema by {@code $ref} to the reference's name. */
class ReferencesTest {
    private static final String ADDRESS = "{\"type\":\"record\",\"name\":\"Address\",\"namespace\":\"course\","
            + "\"fields\":[{\"name\":\"city\",\"type\":\"string\"}]}";
    private static final String USER = "{\"type\":\"record\",\"name\":\"User\",\"namespace\":\"course\","
            + "\"fields\":[{\"name\":\"home\",\"type\":\"course.Address\"}]}";

    @Test
    void avroUsesReferencedTypesAndStoresThemByName() {
        ParsedSchema user = SchemaTypes.parse(SchemaTypes.AVRO, USER, Map.of("course.Address", ADDRESS));
        assertTrue(user.canonical().contains("\"type\":\"Address\""), user.canonical());
        assertTrue(!user.canonical().contains("\"city\""), user.canonical());
        assertEquals(42201, assertThrows(RegistryException.class,
                () -> SchemaTypes.parse(SchemaTypes.AVRO, USER)).errorCode());
    }

    @Test
    void nestedAvroReferencesComeBeforeTheirUsers() {
        Map<String, String> referenced = new LinkedHashMap<>();
        referenced.put("course.Address", ADDRESS);
        referenced.put("course.User", USER);
        String order = "{\"type\":\"record\",\"name\":\"Order\",\"namespace\":\"course\","
                + "\"fields\":[{\"name\":\"buyer\",\"type\":\"course.User\"}]}";
        assertEquals("AVRO", SchemaTypes.parse(SchemaTypes.AVRO, order, referenced).type());
    }

    @Test
    void jsonSchemaRefsResolveToReferencesAndCompareThroughThem() {
        String address = "{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}}}";
        String user = "{\"type\":\"object\",\"additionalProperties\":false,"
                + "\"properties\":{\"home\":{\"$ref\":\"address.json\"}}}";
        ParsedSchema v1 = SchemaTypes.parse(SchemaTypes.JSON, user, Map.of("address.json", address));
        ParsedSchema retyped = SchemaTypes.parse(SchemaTypes.JSON, user, Map.of("address.json",
                address.replace("\"string\"", "\"integer\"")));
        assertTrue(v1.problemsReading(v1).isEmpty());
        assertTrue(retyped.problemsReading(v1).stream().anyMatch(p -> p.type().equals("TYPE_CHANGED")),
                retyped.problemsReading(v1).toString());
        assertEquals(42201, assertThrows(RegistryException.class,
                () -> SchemaTypes.parse(SchemaTypes.JSON, user)).errorCode());
    }
}
