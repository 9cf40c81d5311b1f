package io.runnel.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class HttpListenersTest {
    @Test
    void parsesConfluentListeners() {
        assertEquals(List.of(new HttpListener("localhost", 8082, false), new HttpListener("0.0.0.0", 8083, false),
                        new HttpListener("::1", 8084, false), new HttpListener("127.0.0.1", 0, true)),
                HttpListeners.parse("rest.proxy.listeners",
                        "http://localhost:8082, HTTP://:8083/,http://[::1]:8084,HTTPS://127.0.0.1:0"));
    }

    @Test
    void aWrongListenerNamesTheKeyTheValueAndTheRule() {
        for (String wrong : List.of("localhost:8082", "ftp://h:1", "http://h", "http://h:65536", "http://h:1/x")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> HttpListeners.parse("listeners", wrong));
            assertTrue(e.getMessage().startsWith("listeners=" + wrong + ": '" + wrong + "' must have the form "
                    + "http://host:port or https://host:port"), e.getMessage());
        }
    }
}
