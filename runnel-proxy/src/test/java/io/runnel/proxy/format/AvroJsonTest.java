package io.runnel.proxy.format;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.runnel.http.HttpException;
import io.vertx.core.json.JsonObject;
import java.util.Arrays;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

class AvroJsonTest {
    private static final Schema USER = new Schema.Parser().parse("{\"type\":\"record\",\"name\":\"User\","
            + "\"fields\":[{\"name\":\"name\",\"type\":\"string\"},{\"name\":\"age\",\"type\":[\"null\",\"int\"]}]}");

    @Test
    void confluentWireFormatRoundTrip() throws Exception {
        JsonObject user = new JsonObject().put("name", "ab").put("age", new JsonObject().put("int", 3));
        byte[] wire = AvroJson.toWire(258, USER, user);
        // magic 0, id 258 big-endian, "ab" (zig-zag length 2 = 4), union branch 1 (2), int 3 (6)
        assertArrayEquals(new byte[] {0, 0, 0, 1, 2, 4, 'a', 'b', 2, 6}, wire);
        assertEquals(258, AvroJson.schemaId(wire));
        assertEquals(user, AvroJson.toJson(USER, wire));
    }

    @Test
    void dataThatDoesNotMatchItsSchemaIs42203() {
        HttpException e = assertThrows(HttpException.class, () -> AvroJson.toWire(1, USER,
                new JsonObject().put("name", 5)));
        assertEquals(42203, e.errorCode());
        assertThrows(IllegalArgumentException.class, () -> AvroJson.schemaId(Arrays.copyOf(new byte[] {1}, 5)));
    }
}
