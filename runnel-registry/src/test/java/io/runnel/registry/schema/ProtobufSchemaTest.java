package io.runnel.registry.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.runnel.registry.RegistryException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** .proto files parse with Wire and evolve under Confluent's Protobuf rules: fields are matched by number. */
class ProtobufSchemaTest {
    private static final String V1 = """
            syntax = "proto3";
            package course;
            message User {
              string name = 1;
              int32 age = 2;
              Address address = 3;
              message Address { string city = 1; }
            }
            """;

    @Test
    void theCanonicalTextIsWiresAndTheSameForTheSameFile() {
        ParsedSchema schema = proto(V1);
        assertEquals("PROTOBUF", schema.type());
        assertEquals(schema.canonical(), proto(V1.replace("  ", "    ").replace("\n", "\n\n")).canonical());
        assertTrue(schema.canonical().contains("message User"), schema.canonical());
    }

    @Test
    void invalidFilesAre42201() {
        for (String invalid : List.of("message {", "syntax = \"proto3\"; message M { string a = x; }", "hello")) {
            assertEquals(42201, assertThrows(RegistryException.class, () -> proto(invalid), invalid).errorCode());
        }
    }

    @Test
    void addingRemovingAndRenamingFieldsIsCompatible() {
        assertTrue(backward(V1, V1.replace("int32 age = 2;", "int32 age = 2;\n  string email = 4;")).isEmpty());
        assertTrue(backward(V1, V1.replace("int32 age = 2;", "")).isEmpty());
        assertTrue(backward(V1, V1.replace("int32 age = 2;", "int32 years = 2;")).isEmpty());
        // int32 and int64 share the varint encoding.
        assertTrue(backward(V1, V1.replace("int32 age = 2;", "int64 age = 2;")).isEmpty());
    }

    @Test
    void changingAFieldsEncodingOrTypeIsNot() {
        assertProblem("FIELD_SCALAR_KIND_CHANGED", backward(V1, V1.replace("int32 age = 2;", "string age = 2;")));
        assertProblem("FIELD_KIND_CHANGED", backward(V1, V1.replace("int32 age = 2;", "Address age = 2;")));
        assertProblem("FIELD_NAMED_TYPE_CHANGED", backward(V1, V1.replace("Address address = 3;",
                "Other address = 3;\n  message Other { int32 x = 1; }")));
    }

    @Test
    void removingAMessageOrMovingFieldsIntoAOneofIsNot() {
        assertProblem("MESSAGE_REMOVED", backward(V1, V1.replace("  message Address { string city = 1; }\n", "")
                .replace("Address address = 3;", "")));
        assertProblem("MULTIPLE_FIELDS_MOVED_TO_ONEOF", backward(V1, V1.replace("string name = 1;\n  int32 age = 2;",
                "oneof who { string name = 1; int32 age = 2; }")));
    }

    @Test
    void proto2RequiredFieldsMayNeitherComeNorGo() {
        String v1 = "syntax = \"proto2\"; message M { required string a = 1; optional int32 b = 2; }";
        assertProblem("REQUIRED_FIELD_ADDED", backward(v1, v1.replace("optional int32 b", "required int32 b")
                .replace("required int32 b = 2;", "required int32 b = 2; required int32 c = 3;")));
        assertProblem("REQUIRED_FIELD_REMOVED", backward(v1, v1.replace("required string a = 1;", "")));
    }

    private static List<Incompatibility> backward(String before, String after) {
        return proto(after).problemsReading(proto(before));
    }

    private static void assertProblem(String type, List<Incompatibility> problems) {
        assertTrue(problems.stream().anyMatch(p -> p.type().equals(type)), type + " expected in " + problems);
    }

    private static ParsedSchema proto(String text) {
        return SchemaTypes.parse(SchemaTypes.PROTOBUF, text);
    }
}
