package io.runnel.broker.config;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.runnel.broker.network.ConnectionLimits;
import io.runnel.broker.network.NetworkConfig;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** queued.max.request.bytes and the connection limits: Kafka's keys, defaults and rules. */
class NetworkLimitsTest {

    private static NetworkConfig network(String... overrides) throws Exception {
        return BrokerConfig.parse(BrokerConfig.load(null, List.of(overrides))).networkConfig();
    }

    private static void assertRejected(String override, String key, String value, String rule) {
        ConfigException e = assertThrows(ConfigException.class, () -> network(override));
        assertTrue(e.getMessage().contains(key), e.getMessage());
        assertTrue(e.getMessage().contains(value), e.getMessage());
        assertTrue(e.getMessage().contains(rule), e.getMessage());
    }

    @Test
    void requestMemoryDefaultsToAQuarterOfTheHeapButAtLeastTheLargestRequest() throws Exception {
        long quarterOfHeap = Runtime.getRuntime().maxMemory() / 4;
        assertEquals(Math.max(104857600L, quarterOfHeap), network().queuedMaxRequestBytes());
        assertEquals(Math.max(1024L, quarterOfHeap), network("socket.request.max.bytes=1024").queuedMaxRequestBytes());
        assertEquals(200L << 20, NetworkLimits.queuedMaxRequestBytes(null, 200 << 20, 512L << 20),
            "a quarter of a small heap cannot hold the largest request");
        assertEquals(256L << 20, NetworkLimits.queuedMaxRequestBytes(null, 100 << 20, 1L << 30));
    }

    @Test
    void anExplicitRequestMemoryBoundIsHonouredAndMinusOneMeansNone() throws Exception {
        assertEquals(209715200L, network("queued.max.request.bytes=209715200").queuedMaxRequestBytes());
        assertEquals(104857600L, network("queued.max.request.bytes=104857600").queuedMaxRequestBytes());
        assertEquals(-1L, network("queued.max.request.bytes=-1").queuedMaxRequestBytes());
        assertRejected("queued.max.request.bytes=1048576", "queued.max.request.bytes", "1048576",
            "must be at least socket.request.max.bytes (104857600)");
        assertRejected("queued.max.request.bytes=lots", "queued.max.request.bytes", "lots", "type LONG");
    }

    @Test
    void connectionsAreUnlimitedByDefault() throws Exception {
        ConnectionLimits limits = network().connectionLimits();
        assertEquals(Integer.MAX_VALUE, limits.maxConnections());
        assertEquals(Integer.MAX_VALUE, limits.maxConnectionsPerIp());
        assertEquals(Map.of(), limits.maxConnectionsPerListener());
        assertEquals(Map.of(), limits.maxConnectionsPerIpOverrides());
        assertEquals("PLAINTEXT", limits.interBrokerListenerName());
    }

    @Test
    void connectionLimitsParse() throws Exception {
        ConnectionLimits limits = network("max.connections=5000", "max.connections.per.ip=0",
            "max.connections.per.ip.overrides=127.0.0.2:200, ::1:3,localhost:7",
            "listener.name.plaintext.max.connections=4000").connectionLimits();
        assertEquals(5000, limits.maxConnections());
        assertEquals(0, limits.maxConnectionsPerIp());
        assertEquals(Map.of("PLAINTEXT", 4000), limits.maxConnectionsPerListener());
        assertEquals(200, limits.maxConnectionsPerIpOverrides().get(InetAddress.getByName("127.0.0.2")));
        assertEquals(3, limits.maxConnectionsPerIpOverrides().get(InetAddress.getByName("::1")));
        assertEquals(7, limits.maxConnectionsPerIpOverrides().get(InetAddress.getByName("localhost")));
    }

    @Test
    void connectionLimitsFollowKafkasRules() {
        assertRejected("max.connections=-1", "max.connections", "-1", "at least 0");
        assertRejected("max.connections.per.ip=-1", "max.connections.per.ip", "-1", "at least 0");
        assertRejected("max.connections.per.ip=0", "max.connections.per.ip", "0",
            "can be set to zero only if max.connections.per.ip.overrides is set");
        assertRejected("max.connections.per.ip.overrides=127.0.0.1", "max.connections.per.ip.overrides", "127.0.0.1",
            "each entry must be host:count");
        assertRejected("max.connections.per.ip.overrides=127.0.0.1:many", "max.connections.per.ip.overrides",
            "127.0.0.1:many", "the connection count 'many' must be an integer of at least 0");
        assertRejected("max.connections.per.ip.overrides=127.0.0.1:-5", "max.connections.per.ip.overrides",
            "127.0.0.1:-5", "at least 0");
        assertRejected("max.connections.per.ip.overrides=no-such-host.invalid:5", "max.connections.per.ip.overrides",
            "no-such-host.invalid:5", "host no-such-host.invalid cannot be resolved");
        assertRejected("listener.name.plaintext.max.connections=-2", "listener.name.plaintext.max.connections", "-2",
            "at least 0");
    }

    @Test
    void aListenersMaxConnectionsIsAKnownKey() throws Exception {
        Logger logger = (Logger) LoggerFactory.getLogger(BrokerConfig.class);
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        logger.addAppender(appender);
        try {
            network("listener.name.plaintext.max.connections=10");
            assertTrue(appender.list.stream().noneMatch(e -> e.getFormattedMessage().contains("max.connections")),
                appender.list.toString());
        } finally {
            logger.detachAppender(appender);
        }
    }
}
