package io.runnel.registry.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.runnel.registry.storage.RegistryKey.KeyType;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The _schemas record shapes are Confluent's, byte for byte where Confluent fixes an order. */
class RegistryJsonTest {
    @Test
    void schemaKeyIsConfluentsShape() {
        assertEquals("{\"keytype\":\"SCHEMA\",\"subject\":\"orders-value\",\"version\":3,\"magic\":1}",
                text(RegistryJson.key(RegistryKey.schema("orders-value", 3))));
    }

    @Test
    void globalAndSubjectConfigKeys() {
        assertEquals("{\"keytype\":\"CONFIG\",\"magic\":0}", text(RegistryJson.key(RegistryKey.config(null))));
        assertEquals("{\"keytype\":\"CONFIG\",\"subject\":\"s\",\"magic\":0}",
                text(RegistryJson.key(RegistryKey.config("s"))));
        assertEquals("{\"keytype\":\"MODE\",\"magic\":0}", text(RegistryJson.key(RegistryKey.mode(null))));
    }

    @Test
    void keysReadBackIncludingConfluentsNullSubject() {
        assertEquals(RegistryKey.schema("s", 2), RegistryJson.parseKey(RegistryJson.key(RegistryKey.schema("s", 2))));
        assertEquals(RegistryKey.config(null), RegistryJson.parseKey(bytes("{\"keytype\":\"CONFIG\",\"subject\":null,\"magic\":0}")));
        assertEquals(new RegistryKey(KeyType.NOOP, null, 0), RegistryJson.parseKey(bytes("{\"keytype\":\"NOOP\",\"magic\":0}")));
        assertNull(RegistryJson.parseKey(bytes("{\"keytype\":\"CONTEXT\",\"tenant\":\"default\",\"magic\":0}")));
    }

    @Test
    void avroSchemaValueLeavesSchemaTypeOut() {
        SchemaRecord record = new SchemaRecord("s", 1, 7, "AVRO", "\"string\"", false);
        String json = text(RegistryJson.schemaValue(record));
        assertEquals("{\"subject\":\"s\",\"version\":1,\"id\":7,\"schema\":\"\\\"string\\\"\",\"deleted\":false}", json);
        assertEquals(record, RegistryJson.parseSchemaValue(bytes(json)));
    }

    @Test
    void otherTypesAndDeletedFlagRoundTrip() {
        SchemaRecord record = new SchemaRecord("s", 2, 9, "PROTOBUF", "syntax = \"proto3\";", true);
        String json = text(RegistryJson.schemaValue(record));
        assertTrue(json.contains("\"schemaType\":\"PROTOBUF\""), json);
        assertEquals(record, RegistryJson.parseSchemaValue(bytes(json)));
    }

    @Test
    void referencesRoundTripInConfluentsShape() {
        SchemaRecord record = new SchemaRecord("s", 1, 3, "AVRO", "\"course.Address\"",
                List.of(new SchemaReference("course.Address", "address", 2)), false);
        String json = text(RegistryJson.schemaValue(record));
        assertTrue(json.contains("\"references\":[{\"name\":\"course.Address\",\"subject\":\"address\","
                + "\"version\":2}]"), json);
        assertEquals(record, RegistryJson.parseSchemaValue(bytes(json)));
    }

    @Test
    void confluentValuesWithoutOptionalFieldsRead() {
        assertEquals(new SchemaRecord("s", 1, 1, "AVRO", "\"int\"", false),
                RegistryJson.parseSchemaValue(bytes("{\"subject\":\"s\",\"version\":1,\"id\":1,\"schema\":\"\\\"int\\\"\"}")));
        assertEquals("FULL", RegistryJson.parseConfigValue(bytes("{\"compatibilityLevel\":\"FULL\"}")));
        assertEquals("{\"compatibilityLevel\":\"NONE\"}", text(RegistryJson.configValue("NONE")));
        assertEquals("{\"mode\":\"READONLY\"}", text(RegistryJson.modeValue("READONLY")));
        assertEquals(4, RegistryJson.parseSubjectDeleteVersion(bytes("{\"subject\":\"s\",\"version\":4}")));
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
