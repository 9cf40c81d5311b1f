package io.runnel.metadata.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.errors.InvalidConfigurationException;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.junit.jupiter.api.Test;

class DynamicBrokerConfigDefTest {

    @Test
    void theCleanerSettingsAndThreadCountsKafkaMarksDynamicAreDynamic() {
        for (String key : new String[] {"log.cleaner.threads", "log.cleaner.backoff.ms", "log.cleaner.dedupe.buffer.size",
                "log.cleaner.io.buffer.size", "log.cleaner.io.buffer.load.factor", "log.cleaner.io.max.bytes.per.second",
                "num.io.threads", "num.replica.fetchers", "log.retention.ms", "message.max.bytes"}) {
            assertTrue(DynamicBrokerConfigDef.isDynamic(key), key);
        }
        assertFalse(DynamicBrokerConfigDef.isDynamic("log.cleaner.enable"));
        assertFalse(DynamicBrokerConfigDef.isDynamic("log.retention.hours"));
        assertEquals("1", DynamicBrokerConfigDef.defaultValue("log.cleaner.threads"));
        assertEquals("15000", DynamicBrokerConfigDef.defaultValue("log.cleaner.backoff.ms"));
        assertEquals(ConfigDef.Type.INT, DynamicBrokerConfigDef.type("num.replica.fetchers"));
        assertFalse(DynamicBrokerConfigDef.isList("num.io.threads"));
    }

    @Test
    void aListenersKeystoreAndTruststoreAreDynamicButNotItsOtherTlsSettings() {
        for (String key : new String[] {"listener.name.ssl.ssl.keystore.location", "listener.name.ssl.ssl.keystore.type",
                "listener.name.external.ssl.keystore.password", "listener.name.ssl.ssl.key.password",
                "listener.name.ssl.ssl.truststore.location", "listener.name.ssl.ssl.truststore.password"}) {
            assertTrue(DynamicBrokerConfigDef.isListenerStoreKey(key), key);
            assertTrue(DynamicBrokerConfigDef.isDynamic(key), key);
        }
        for (String key : new String[] {"ssl.keystore.location", "listener.name.ssl.ssl.client.auth",
                "listener.name.ssl.ssl.keystore.key", "listener.name..ssl.keystore.location", "listener.name.ssl.max.connections"}) {
            assertFalse(DynamicBrokerConfigDef.isListenerStoreKey(key), key);
        }
        assertEquals(ConfigDef.Type.PASSWORD, DynamicBrokerConfigDef.type("listener.name.ssl.ssl.keystore.password"));
        assertEquals(ConfigDef.Type.STRING, DynamicBrokerConfigDef.type("listener.name.ssl.ssl.keystore.location"));
        assertTrue(DynamicBrokerConfigDef.validate(Map.of("listener.name.ssl.ssl.keystore.location", "/etc/b.p12")).isEmpty());
    }

    @Test
    void valuesAreCheckedWithKafkasTypesAndRanges() {
        assertTrue(DynamicBrokerConfigDef.validate(Map.of("log.cleaner.threads", "2", "log.cleaner.backoff.ms", "100",
                "num.io.threads", "16", "num.replica.fetchers", "2", "log.cleaner.io.buffer.load.factor", "0.5")).isEmpty());
        assertEquals("Invalid value -1 for configuration log.cleaner.backoff.ms: Value must be at least 0",
                DynamicBrokerConfigDef.validate(Map.of("log.cleaner.backoff.ms", "-1")).orElseThrow().getMessage());
        assertInstanceOf(InvalidConfigurationException.class,
                DynamicBrokerConfigDef.validate(Map.of("num.io.threads", "many")).orElseThrow());
        assertInstanceOf(InvalidRequestException.class,
                DynamicBrokerConfigDef.validate(Map.of("log.cleaner.enable", "false")).orElseThrow());
    }

    @Test
    void connectionLimitsAreCheckedAsAtStartUp() {
        assertTrue(DynamicBrokerConfigDef.validate(Map.of("max.connections", "100", "max.connections.per.ip", "10",
                "max.connections.per.ip.overrides", "127.0.0.2:2, ::1:5")).isEmpty());
        assertEquals("Invalid value 127.0.0.2:x for configuration max.connections.per.ip.overrides: the connection "
                        + "count 'x' must be an integer of at least 0",
                DynamicBrokerConfigDef.validate(Map.of("max.connections.per.ip.overrides", "127.0.0.2:x"))
                        .orElseThrow().getMessage());
        assertInstanceOf(InvalidConfigurationException.class,
                DynamicBrokerConfigDef.validate(Map.of("max.connections", "-1")).orElseThrow());
    }

    @Test
    void threadCountsChangeByAtMostAFactorOfTwo() {
        assertEquals(Optional.empty(), DynamicBrokerConfigDef.threadCountChangeRefusal("log.cleaner.threads", 1, "2"));
        assertEquals(Optional.of("Log cleaner threads cannot be increased to more than double the current value 1"),
                DynamicBrokerConfigDef.threadCountChangeRefusal("log.cleaner.threads", 1, "3"));
        assertEquals(Optional.of("Log cleaner threads cannot be reduced to less than half the current value 8"),
                DynamicBrokerConfigDef.threadCountChangeRefusal("log.cleaner.threads", 8, "3"));
        assertEquals(Optional.of("Log cleaner threads should be at least 1"),
                DynamicBrokerConfigDef.threadCountChangeRefusal("log.cleaner.threads", 1, "0"));
        assertEquals(Optional.of("Dynamic thread count update validation failed for num.io.threads=17, value should not"
                        + " be greater than double the current value 8"),
                DynamicBrokerConfigDef.threadCountChangeRefusal("num.io.threads", 8, "17"));
        assertEquals(Optional.of("Dynamic thread count update validation failed for num.replica.fetchers=0, value should"
                        + " be at least 1"),
                DynamicBrokerConfigDef.threadCountChangeRefusal("num.replica.fetchers", 1, "0"));
        assertEquals(Optional.empty(), DynamicBrokerConfigDef.threadCountChangeRefusal("num.io.threads", 8, "4"));
        assertEquals(Optional.empty(), DynamicBrokerConfigDef.threadCountChangeRefusal("log.retention.ms", 1, "100"));
    }
}
