package io.runnel.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.runnel.http.BasicAuth;
import io.runnel.http.HttpListener;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConsoleConfigTest {
    @Test
    void aFileNamesTheClusterTheRegistryAndTheConsolesOwnSettings() {
        ConsoleConfig config = ConsoleConfig.parse(Map.of(
                "console.listeners", "http://127.0.0.1:8090",
                "bootstrap.servers", "SASL_SSL://k1:9093,k2:9093",
                "client.security.protocol", "SASL_SSL",
                "schema.registry.url", "http://registry:8081",
                "console.read.only", "true",
                "console.basic.auth.passwords", "alice:a:b,bob:secret"));
        assertEquals(List.of(new HttpListener("127.0.0.1", 8090, false)), config.http().listeners());
        assertEquals(Map.of("bootstrap.servers", "k1:9093,k2:9093", "security.protocol", "SASL_SSL"),
                config.clientProperties());
        assertEquals("http://registry:8081", config.schemaRegistryUrl());
        assertTrue(config.readOnly());
        assertEquals(BasicAuth.Outcome.ALLOWED, config.basicAuth().check("Basic "
                + Base64.getEncoder().encodeToString("alice:a:b".getBytes(StandardCharsets.UTF_8))));
        assertEquals(BasicAuth.Outcome.UNAUTHENTICATED, config.basicAuth().check("Basic "
                + Base64.getEncoder().encodeToString("bob:a:b".getBytes(StandardCharsets.UTF_8))));
    }

    @Test
    void defaultsAreALocalWritableConsoleWithoutLogin() {
        ConsoleConfig config = ConsoleConfig.parse(Map.of("bootstrap.servers", "k:9092"));
        assertEquals(List.of(new HttpListener("localhost", 8080, false)), config.http().listeners());
        assertNull(config.http().tls());
        assertNull(config.schemaRegistryUrl());
        assertFalse(config.readOnly());
        assertNull(config.basicAuth());
    }

    @Test
    void wrongValuesNameTheKeyAndTheRule() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ConsoleConfig.parse(Map.of()))
                .getMessage().contains("bootstrap.servers"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ConsoleConfig.parse(Map.of(
                "bootstrap.servers", "k:9092", "console.read.only", "yes"))).getMessage()
                .contains("console.read.only=yes must be true or false"));
        assertEquals("console.ssl.keystore.location is required by an https:// listener", assertThrows(
                IllegalArgumentException.class, () -> ConsoleConfig.parse(Map.of("bootstrap.servers", "k:9092",
                        "console.listeners", "https://localhost:8443"))).getMessage());
        for (String wrong : List.of("alice", "alice:", ":secret", "alice:x,alice:y")) {
            String message = assertThrows(IllegalArgumentException.class,
                    () -> ConsoleConfig.parse(Map.of("bootstrap.servers", "k:9092",
                            "console.basic.auth.passwords", wrong))).getMessage();
            assertTrue(message.startsWith("console.basic.auth.passwords"), message);
            assertFalse(message.contains("secret") || message.contains(":x"), "no password in " + message);
        }
    }
}
