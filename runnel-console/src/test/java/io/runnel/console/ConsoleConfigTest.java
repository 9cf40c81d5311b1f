package io.runnel.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
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
        assertEquals(List.of(new InetSocketAddress("127.0.0.1", 8090)), config.listeners());
        assertEquals(Map.of("bootstrap.servers", "k1:9093,k2:9093", "security.protocol", "SASL_SSL"),
                config.clientProperties());
        assertEquals("http://registry:8081", config.schemaRegistryUrl());
        assertTrue(config.readOnly());
        assertEquals(Map.of("alice", "a:b", "bob", "secret"), config.basicAuthPasswords());
    }

    @Test
    void defaultsAreALocalWritableConsoleWithoutLogin() {
        ConsoleConfig config = ConsoleConfig.parse(Map.of("bootstrap.servers", "k:9092"));
        assertEquals(List.of(new InetSocketAddress("localhost", 8080)), config.listeners());
        assertNull(config.schemaRegistryUrl());
        assertFalse(config.readOnly());
        assertTrue(config.basicAuthPasswords().isEmpty());
    }

    @Test
    void wrongValuesNameTheKeyAndTheRule() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ConsoleConfig.parse(Map.of()))
                .getMessage().contains("bootstrap.servers"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ConsoleConfig.parse(Map.of(
                "bootstrap.servers", "k:9092", "console.read.only", "yes"))).getMessage()
                .contains("console.read.only=yes must be true or false"));
        for (String wrong : List.of("alice", "alice:", ":secret", "alice:x,alice:y")) {
            String message = assertThrows(IllegalArgumentException.class,
                    () -> ConsoleConfig.basicAuthPasswords(wrong)).getMessage();
            assertTrue(message.startsWith("console.basic.auth.passwords"), message);
            assertFalse(message.contains("secret") || message.contains(":x"), "no password in " + message);
        }
    }
}
