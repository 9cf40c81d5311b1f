package io.runnel.broker.network;

import io.runnel.broker.protocol.ApiDispatcher;
import io.runnel.broker.protocol.WireClient;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.message.MetadataResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * max.connections (broker-wide and per listener) blocks new connections until one closes; max.connections.per.ip
 * and its overrides close the connections past them; a real Admin client is served all along. Limits changed at run
 * time apply to new connections, and a raised max.connections admits the waiting ones.
 */
class ConnectionLimitsTest {
    private static final String EXTERNAL = "EXTERNAL";
    private static final String INTERNAL = "INTERNAL";
    private static final short METADATA_VERSION = 12;

    private final AtomicInteger internalPort = new AtomicInteger();
    private final ApiDispatcher dispatcher =
        new ApiDispatcher().register(ApiKeys.METADATA, TestServers.metadata(internalPort::get));

    @Test
    void brokerWideLimitBlocksNewConnectionsUntilOneClosesAndSparesTheInterBrokerListener() throws Exception {
        ConnectionLimits limits = new ConnectionLimits(2000, Map.of(), Integer.MAX_VALUE, Map.of(), INTERNAL);
        try (SocketServer server = start(limits); IdleConnections idle = new IdleConnections()) {
            idle.open(2000, "127.0.0.1", server.boundPort(EXTERNAL));
            TestServers.await(() -> server.connections() == 2000, () -> server.connections() + " connections");
            assertBlockedUntilOneCloses(server, idle);
            assertAdminServed();
        }
    }

    @Test
    void limitsChangedAtRunTimeKeepAdmittedConnectionsAndLetWaitingOnesInWhenRaised() throws Exception {
        ConnectionLimits limits = new ConnectionLimits(20, Map.of(), Integer.MAX_VALUE, Map.of(), INTERNAL);
        try (SocketServer server = start(limits); IdleConnections idle = new IdleConnections()) {
            idle.open(20, "127.0.0.1", server.boundPort(EXTERNAL));
            TestServers.await(() -> server.connections() == 20, () -> server.connections() + " connections");
            server.updateConnectionLimits(limits.withBrokerLimits(10, Integer.MAX_VALUE, Map.of()));
            try (WireClient blocked = new WireClient(server.boundPort(EXTERNAL))) {
                blocked.send(new MetadataRequestData(), METADATA_VERSION, 7);
                TestServers.await(() -> server.connectionsWaitingForSlot() == 1, () -> "a connection waiting for a slot");
                assertEquals(20, server.connections(), "connections admitted before the lower limit stay");

                server.updateConnectionLimits(limits.withBrokerLimits(21, Integer.MAX_VALUE, Map.of()));
                assertEquals(7, blocked.receive(ApiKeys.METADATA, METADATA_VERSION).correlationId());
                assertEquals(21, server.connections());
                assertEquals(0, server.connectionsWaitingForSlot());
            }
        }
    }

    @Test
    void listenerLimitBlocksOnlyThatListener() throws Exception {
        ConnectionLimits limits = new ConnectionLimits(Integer.MAX_VALUE, Map.of(EXTERNAL, 1500), Integer.MAX_VALUE,
            Map.of(), INTERNAL);
        try (SocketServer server = start(limits); IdleConnections idle = new IdleConnections()) {
            idle.open(1500, "127.0.0.1", server.boundPort(EXTERNAL));
            TestServers.await(() -> server.connections(EXTERNAL) == 1500, () -> server.connections(EXTERNAL) + " connections");
            assertBlockedUntilOneCloses(server, idle);
            assertAdminServed();
        }
    }

    @Test
    void perIpLimitAndItsOverridesCloseTheConnectionsPastThem() throws Exception {
        ConnectionLimits limits = new ConnectionLimits(Integer.MAX_VALUE, Map.of(), 1000,
            Map.of(InetAddress.getByName("127.0.0.2"), 2500, InetAddress.getByName("127.0.0.3"), 10), INTERNAL);
        try (SocketServer server = start(limits); IdleConnections idle = new IdleConnections()) {
            idle.open(3000, "127.0.0.2", server.boundPort(EXTERNAL));
            idle.awaitClosedByPeer(500);
            idle.open(20, "127.0.0.3", server.boundPort(EXTERNAL));
            idle.awaitClosedByPeer(510);
            idle.open(1200, "127.0.0.4", server.boundPort(EXTERNAL));
            idle.awaitClosedByPeer(710);
            TestServers.await(() -> server.connections() == 2500 + 10 + 1000, () -> server.connections() + " connections");
            assertEquals(710, idle.closedByPeer());
            assertAdminServed(); // from 127.0.0.1, which has no connection yet
        }
    }

    @Test
    void closedConnectionsGiveBackTheirPerIpSlot() throws Exception {
        ConnectionLimits limits = new ConnectionLimits(Integer.MAX_VALUE, Map.of(), 0,
            Map.of(InetAddress.getByName("127.0.0.1"), 1), INTERNAL);
        try (SocketServer server = start(limits)) {
            for (int i = 0; i < 3; i++) {
                try (WireClient client = new WireClient(server.boundPort(EXTERNAL))) {
                    assertServed(client);
                    try (WireClient second = new WireClient(server.boundPort(EXTERNAL))) {
                        assertTrue(second.closedByPeer(), "a second connection from 127.0.0.1 is past its override of 1");
                    }
                }
                TestServers.await(() -> server.connections() == 0, () -> server.connections() + " connections");
            }
        }
    }

    private SocketServer start(ConnectionLimits limits) throws InterruptedException {
        SocketServer server = TestServers.start(dispatcher, TestServers.config(600_000, 100, -1, limits),
            List.of(EXTERNAL, INTERNAL));
        internalPort.set(server.boundPort(INTERNAL));
        return server;
    }

    /** One more connection on EXTERNAL waits, unserved, until an idle one closes; then it is served. */
    private static void assertBlockedUntilOneCloses(SocketServer server, IdleConnections idle) throws Exception {
        int admitted = server.connections(EXTERNAL);
        try (WireClient blocked = new WireClient(server.boundPort(EXTERNAL))) {
            blocked.send(new MetadataRequestData(), METADATA_VERSION, 7);
            TestServers.await(() -> server.connectionsWaitingForSlot() == 1, () -> "a connection waiting for a slot");
            assertEquals(admitted, server.connections(EXTERNAL));

            idle.closeOne();
            WireClient.Response response = blocked.receive(ApiKeys.METADATA, METADATA_VERSION);
            assertEquals(7, response.correlationId());
            assertEquals(TestServers.CLUSTER_ID, ((MetadataResponseData) response.body()).clusterId());
            assertEquals(0, server.connectionsWaitingForSlot());
            assertEquals(admitted, server.connections(EXTERNAL));
        }
    }

    private void assertAdminServed() throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + internalPort.get()))) {
            assertEquals(TestServers.CLUSTER_ID, admin.describeCluster().clusterId().get(30, TimeUnit.SECONDS));
        }
    }

    private static void assertServed(WireClient client) throws Exception {
        client.send(new MetadataRequestData(), METADATA_VERSION, 1);
        assertEquals(1, client.receive(ApiKeys.METADATA, METADATA_VERSION).correlationId());
    }
}
