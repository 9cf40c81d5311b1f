package io.runnel.tools;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JsonTest {
    @Test
    void parsesObjectsArraysStringsNumbersAndLiterals() {
        assertEquals(Map.of("partitions", List.of(Map.of("topic", "t\"1", "partition", 0L, "offset", -1L)),
                        "version", 1L, "ratio", 0.5, "ok", true, "none", Map.of(), "empty", List.of()),
                withoutNulls(Json.parse(" {\"partitions\":[{\"topic\":\"t\\\"1\",\"partition\":0,\"offset\":-1}],"
                        + "\"version\":1, \"ratio\": 0.5, \"ok\": true, \"none\": {}, \"empty\": [], \"gone\": null}")));
    }

    @Test
    void errorsNameThePosition() {
        for (String bad : new String[] {"{", "{\"a\" 1}", "[1,]", "\"open", "{\"a\":1} x", "tru"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Json.parse(bad), bad);
            assertTrue(e.getMessage().startsWith("Invalid JSON at position "), e.getMessage());
        }
    }

    @SuppressWarnings("unchecked")
    private static Object withoutNulls(Object parsed) {
        Map<String, Object> map = (Map<String, Object>) parsed;
        assertTrue(map.containsKey("gone") && map.get("gone") == null);
        map.remove("gone");
        return map;
    }
}
