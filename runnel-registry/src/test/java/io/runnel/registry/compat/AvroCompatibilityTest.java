package io.runnel.registry.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.runnel.registry.RegistryException;
import io.runnel.registry.schema.ParsedSchema;
import io.runnel.registry.schema.SchemaTypes;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Each level asks Avro's checker the right question: backward = the new schema reads the old data, forward = the old
 * schemas read the new data, full = both; transitive ones against every version, the others against the latest.
 */
class AvroCompatibilityTest {
    private static final ParsedSchema V1 = record("{\"name\":\"a\",\"type\":\"string\"}");
    /** Adds a field with a default: backward and forward compatible with V1. */
    private static final ParsedSchema WITH_DEFAULT = record("{\"name\":\"a\",\"type\":\"string\"},"
            + "{\"name\":\"b\",\"type\":\"int\",\"default\":0}");
    /** Adds a field without a default: forward compatible only (the new reader misses b in old data). */
    private static final ParsedSchema WITHOUT_DEFAULT = record("{\"name\":\"a\",\"type\":\"string\"},"
            + "{\"name\":\"b\",\"type\":\"int\"}");
    /** Drops a: backward compatible only (old readers need a, which has no default). */
    private static final ParsedSchema DROPPED = record("{\"name\":\"c\",\"type\":\"int\",\"default\":1}");

    @Test
    void backwardRefusesANewFieldWithoutDefault() {
        assertFalse(ok(CompatibilityLevel.BACKWARD, WITHOUT_DEFAULT, V1));
        assertTrue(ok(CompatibilityLevel.BACKWARD, WITH_DEFAULT, V1));
        assertTrue(ok(CompatibilityLevel.BACKWARD, DROPPED, V1));
    }

    @Test
    void forwardRefusesDroppingAFieldOldReadersNeed() {
        assertTrue(ok(CompatibilityLevel.FORWARD, WITHOUT_DEFAULT, V1));
        assertFalse(ok(CompatibilityLevel.FORWARD, DROPPED, V1));
    }

    @Test
    void fullNeedsBothAndNoneNeither() {
        assertTrue(ok(CompatibilityLevel.FULL, WITH_DEFAULT, V1));
        assertFalse(ok(CompatibilityLevel.FULL, WITHOUT_DEFAULT, V1));
        assertFalse(ok(CompatibilityLevel.FULL, DROPPED, V1));
        assertTrue(ok(CompatibilityLevel.NONE, SchemaTypes.parse(SchemaTypes.AVRO, "\"int\""), V1));
    }

    @Test
    void transitiveLevelsLookPastTheLatestVersion() {
        // V1 has a string a, the next version drops it; a re-added as an int reads that version's data, not V1's.
        ParsedSchema noA = record("{\"name\":\"b\",\"type\":\"int\",\"default\":0}");
        ParsedSchema intA = record("{\"name\":\"b\",\"type\":\"int\",\"default\":0},{\"name\":\"a\",\"type\":\"int\","
                + "\"default\":0}");
        assertTrue(ok(CompatibilityLevel.BACKWARD, intA, V1, noA));
        assertFalse(ok(CompatibilityLevel.BACKWARD_TRANSITIVE, intA, V1, noA));
        assertFalse(ok(CompatibilityLevel.FULL_TRANSITIVE, intA, V1, noA));
    }

    @Test
    void verboseMessagesNameAvrosErrorType() {
        List<String> messages = Compatibility.incompatibilities(CompatibilityLevel.BACKWARD, WITHOUT_DEFAULT,
                List.of(V1));
        assertEquals(1, messages.size());
        assertTrue(messages.get(0).contains("READER_FIELD_MISSING_DEFAULT_VALUE"), messages.get(0));
    }

    @Test
    void levelsParseInAnyCaseAndRefuseOthersWith42203() {
        assertEquals(CompatibilityLevel.FULL_TRANSITIVE, CompatibilityLevel.parse("full_transitive"));
        assertEquals(42203, assertThrows(RegistryException.class, () -> CompatibilityLevel.parse("SIDEWAYS"))
                .errorCode());
        assertEquals(42203, assertThrows(RegistryException.class, () -> CompatibilityLevel.parse(null)).errorCode());
    }

    private static boolean ok(CompatibilityLevel level, ParsedSchema candidate, ParsedSchema... earlier) {
        return Compatibility.incompatibilities(level, candidate, List.of(earlier)).isEmpty();
    }

    private static ParsedSchema record(String fields) {
        return SchemaTypes.parse(SchemaTypes.AVRO, "{\"type\":\"record\",\"name\":\"R\",\"fields\":[" + fields + "]}");
    }
}
