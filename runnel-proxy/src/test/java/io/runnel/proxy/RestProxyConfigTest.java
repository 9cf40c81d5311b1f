package io.runnel.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.runnel.http.HttpListener;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RestProxyConfigTest {
    @Test
    void confluentNamesAndPrefixes() {
        RestProxyConfig config = RestProxyConfig.parse(Map.of(
                "listeners", "http://127.0.0.1:8082",
                "bootstrap.servers", "PLAINTEXT://k1:9092,PLAINTEXT://k2:9092",
                "schema.registry.url", "http://registry:8081",
                "client.security.protocol", "SASL_PLAINTEXT",
                "producer.acks", "1",
                "consumer.max.poll.records", "10",
                "consumer.instance.timeout.ms", "1000",
                "admin.request.timeout.ms", "5000"));
        assertEquals(List.of(new HttpListener("127.0.0.1", 8082, false)), config.http().listeners());
        assertNull(config.http().auth());
        assertEquals("k1:9092,k2:9092", config.producerProperties().get("bootstrap.servers"));
        assertEquals("SASL_PLAINTEXT", config.consumerProperties().get("security.protocol"));
        assertEquals("1", config.producerProperties().get("acks"));
        assertEquals("10", config.consumerProperties().get("max.poll.records"));
        assertTrue(!config.consumerProperties().containsKey("instance.timeout.ms"), "the proxy's own setting");
        assertEquals(1000, config.consumerInstanceTimeoutMs());
        assertEquals("5000", config.adminProperties().get("request.timeout.ms"));
        assertEquals("http://registry:8081", config.schemaRegistryUrl());
    }

    @Test
    void defaultsAndRefusals() {
        RestProxyConfig config = RestProxyConfig.parse(Map.of("bootstrap.servers", "k:9092"));
        assertEquals(List.of(new HttpListener("0.0.0.0", 8082, false)), config.http().listeners());
        assertEquals(300_000, config.consumerInstanceTimeoutMs());
        assertEquals(null, config.schemaRegistryUrl());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> RestProxyConfig.parse(Map.of()))
                .getMessage().startsWith("bootstrap.servers is required"));
        assertEquals("consumer.instance.timeout.ms=-5 must be a positive integer", assertThrows(
                IllegalArgumentException.class, () -> RestProxyConfig.parse(Map.of("bootstrap.servers", "k:9092",
                        "consumer.instance.timeout.ms", "-5"))).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> RestProxyConfig.parse(Map.of(
                "bootstrap.servers", "k:9092", "listeners", "localhost:8082"))).getMessage()
                .startsWith("listeners=localhost:8082"));
        assertEquals("authentication.users.file is required by authentication.method=BASIC (lines of user: "
                + "password,role1,role2)", assertThrows(IllegalArgumentException.class, () -> RestProxyConfig.parse(
                Map.of("bootstrap.servers", "k:9092", "authentication.method", "BASIC"))).getMessage());
    }
}
