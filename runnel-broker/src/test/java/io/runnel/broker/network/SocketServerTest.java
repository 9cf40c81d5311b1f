package io.runnel.broker.network;

import io.runnel.broker.protocol.ApiDispatcher;
import io.runnel.broker.protocol.RequestContext;
import io.runnel.broker.protocol.WireClient;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterResult;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.message.MetadataResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.security.auth.SecurityProtocol;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SocketServerTest {
    private static final short METADATA_VERSION = 12;

    @Test
    void realAdminClientDescribesTheCluster() throws Exception {
        AtomicInteger port = new AtomicInteger();
        List<RequestContext> contexts = new CopyOnWriteArrayList<>();
        ApiDispatcher dispatcher = new ApiDispatcher().register(ApiKeys.METADATA, (ctx, request) -> {
            contexts.add(ctx);
            return TestServers.metadata(port::get).handle(ctx, request);
        });
        try (SocketServer server = TestServers.start(dispatcher)) {
            port.set(server.boundPort(TestServers.LISTENER));
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + port.get()))) {
                DescribeClusterResult cluster = admin.describeCluster();
                assertEquals(TestServers.CLUSTER_ID, cluster.clusterId().get(30, TimeUnit.SECONDS));
                assertEquals(List.of(new Node(TestServers.NODE_ID, "127.0.0.1", port.get())),
                    List.copyOf(cluster.nodes().get(30, TimeUnit.SECONDS)));
                assertEquals(TestServers.NODE_ID, cluster.controller().get(30, TimeUnit.SECONDS).id());
            }
        }
        RequestContext last = contexts.get(contexts.size() - 1);
        assertEquals("apache-kafka-java", last.clientSoftwareName(), "captured from ApiVersions v3+");
        assertFalse(last.clientSoftwareVersion().isEmpty());
        assertEquals(TestServers.LISTENER, last.listenerName());
        assertEquals(SecurityProtocol.PLAINTEXT, last.securityProtocol());
        assertTrue(last.remoteAddress().getAddress().isLoopbackAddress());
    }

    @Test
    void closesConnectionsIdleForLongerThanTheLimit() throws Exception {
        ApiDispatcher dispatcher = new ApiDispatcher();
        try (SocketServer server = TestServers.start(dispatcher, TestServers.config(50, 100));
             IdleConnections idle = new IdleConnections()) {
            idle.open(100, "127.0.0.1", server.boundPort(TestServers.LISTENER));
            idle.awaitClosedByPeer(100);
            TestServers.await(() -> server.connections() == 0, () -> server.connections() + " connections left");
        }
    }

    @Test
    void closeEndsOpenConnections() throws Exception {
        AtomicInteger port = new AtomicInteger();
        SocketServer server = TestServers.start(new ApiDispatcher().register(ApiKeys.METADATA, TestServers.metadata(port::get)));
        port.set(server.boundPort(TestServers.LISTENER));
        try (WireClient client = new WireClient(port.get())) {
            client.send(new MetadataRequestData(), METADATA_VERSION, 1);
            MetadataResponseData metadata = (MetadataResponseData) client.receive(ApiKeys.METADATA, METADATA_VERSION).body();
            assertEquals(TestServers.CLUSTER_ID, metadata.clusterId());
            server.close();
            assertTrue(client.closedByPeer());
        }
        assertThrows(IllegalArgumentException.class, () -> server.boundPort(TestServers.LISTENER));
    }
}
