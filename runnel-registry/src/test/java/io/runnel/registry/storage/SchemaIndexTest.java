package io.runnel.registry.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The index is what the records say, in their order: soft deletes hide, tombstones remove, ids are never reused. */
class SchemaIndexTest {
    private final SchemaIndex index = new SchemaIndex();

    @Test
    void tombstonesRemoveVersionsButNotTheLargestId() {
        put("a", 1, 1, "\"int\"");
        put("a", 2, 2, "\"long\"");
        index.apply(RegistryKey.schema("a", 2), null);
        assertEquals(List.of(1), index.versions("a", true).stream().map(SchemaRecord::version).toList());
        assertEquals(2, index.maxId());
        assertTrue(index.byId(2).isEmpty());
    }

    @Test
    void confluentSubjectDeleteMarksVersionsUpToItDeleted() {
        put("a", 1, 1, "\"int\"");
        put("a", 2, 2, "\"long\"");
        index.apply(new RegistryKey(RegistryKey.KeyType.DELETE_SUBJECT, "a", 0),
                "{\"subject\":\"a\",\"version\":2}".getBytes(StandardCharsets.UTF_8));
        assertEquals(List.of(), index.subjects(false));
        assertEquals(List.of("a"), index.subjects(true));
        index.apply(new RegistryKey(RegistryKey.KeyType.CLEAR_SUBJECT, "a", 0),
                "{\"subject\":\"a\",\"version\":2}".getBytes(StandardCharsets.UTF_8));
        assertEquals(List.of(), index.subjects(true));
    }

    @Test
    void sameSchemaUnderAnotherSubjectKeepsItsId() {
        put("a", 1, 5, "\"int\"");
        assertEquals(Optional.of(5), index.idOf("AVRO", "\"int\"", List.of()));
        assertEquals(Optional.empty(), index.idOf("JSON", "\"int\"", List.of()));
    }

    @Test
    void anIdResolvesWhileAnyVersionUsesItAndNotAfter() {
        put("a", 1, 5, "\"int\"");
        put("b", 1, 5, "\"int\"");
        index.apply(RegistryKey.schema("a", 1),
                RegistryJson.schemaValue(new SchemaRecord("a", 1, 5, "AVRO", "\"int\"", true)));
        assertEquals(List.of("a", "b"), index.byId(5).stream().map(SchemaRecord::subject).toList());
        index.apply(new RegistryKey(RegistryKey.KeyType.CLEAR_SUBJECT, "a", 0),
                "{\"subject\":\"a\",\"version\":1}".getBytes(StandardCharsets.UTF_8));
        assertEquals(List.of("b"), index.byId(5).stream().map(SchemaRecord::subject).toList());
        index.apply(RegistryKey.schema("b", 1), null);
        assertTrue(index.byId(5).isEmpty());
        assertEquals(Optional.empty(), index.idOf("AVRO", "\"int\"", List.of()));
    }

    @Test
    void aVersionIsReferencedByEveryVersionNamingItSoftDeletedOnesToo() {
        put("address", 1, 1, "\"string\"");
        SchemaRecord user = new SchemaRecord("user", 1, 2, "AVRO", "\"int\"",
                List.of(new SchemaReference("Address", "address", 1)), false);
        index.apply(RegistryKey.schema("user", 1), RegistryJson.schemaValue(user));
        assertEquals(List.of(user), index.referencedBy("address", 1));
        assertEquals(List.of(), index.referencedBy("address", 2));
        index.apply(RegistryKey.schema("user", 1), RegistryJson.schemaValue(user.softDeleted()));
        assertEquals(List.of(user.softDeleted()), index.referencedBy("address", 1));
        index.apply(RegistryKey.schema("user", 1), null);
        assertEquals(List.of(), index.referencedBy("address", 1));
    }

    @Test
    void configsByNullOrSubject() {
        index.apply(RegistryKey.config(null), RegistryJson.configValue("FULL"));
        index.apply(RegistryKey.config("a"), RegistryJson.configValue("NONE"));
        index.apply(RegistryKey.config("a"), null);
        assertEquals(Optional.of("FULL"), index.config(null));
        assertEquals(Optional.empty(), index.config("a"));
    }

    private void put(String subject, int version, int id, String schema) {
        index.apply(RegistryKey.schema(subject, version),
                RegistryJson.schemaValue(new SchemaRecord(subject, version, id, "AVRO", schema, false)));
    }
}
