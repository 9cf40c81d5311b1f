package io.runnel.broker.network;

import io.runnel.broker.protocol.ApiDispatcher;
import io.runnel.broker.protocol.ApiHandler;
import org.apache.kafka.common.message.MetadataResponseData;
import org.apache.kafka.common.message.MetadataResponseData.MetadataResponseBroker;
import org.apache.kafka.common.message.MetadataResponseData.MetadataResponseBrokerCollection;
import org.apache.kafka.common.security.auth.SecurityProtocol;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.fail;

/** Socket servers on 127.0.0.1:0 for tests, and the tiny handlers they serve. */
final class TestServers {
    static final String LISTENER = "PLAINTEXT";
    static final String CLUSTER_ID = "runnel-test-cluster";
    static final int NODE_ID = 1;
    static final int MAX_REQUEST_BYTES = 1024 * 1024;

    private TestServers() {
    }

    static NetworkConfig config(long idleMs, int maxInFlight) {
        return config(idleMs, maxInFlight, -1, ConnectionLimits.NONE);
    }

    static NetworkConfig config(long idleMs, int maxInFlight, long queuedMaxRequestBytes, ConnectionLimits limits) {
        return new NetworkConfig(MAX_REQUEST_BYTES, 1, 128 * 1024, 128 * 1024, idleMs, maxInFlight,
            queuedMaxRequestBytes, limits);
    }

    static SocketServer start(ApiDispatcher dispatcher) throws InterruptedException {
        return start(dispatcher, config(600_000, 100));
    }

    static SocketServer start(ApiDispatcher dispatcher, NetworkConfig config) throws InterruptedException {
        return start(dispatcher, config, List.of(LISTENER));
    }

    /** Listeners of the given names, each on an ephemeral port of 127.0.0.1. */
    static SocketServer start(ApiDispatcher dispatcher, NetworkConfig config, List<String> listeners)
        throws InterruptedException {
        SocketServer server = new SocketServer(listeners.stream()
            .map(name -> new ListenerSpec(name, "127.0.0.1", 0, SecurityProtocol.PLAINTEXT)).toList(), Map.of(), Map.of(), config,
            dispatcher);
        server.start();
        return server;
    }

    /** Waits until {@code condition} holds, polling; fails after 30 seconds naming {@code what}. */
    static void await(BooleanSupplier condition, Supplier<String> what) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                fail("Timed out waiting for " + what.get());
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
        }
    }

    /** Metadata naming this one broker as the whole cluster and its controller. */
    static ApiHandler metadata(IntSupplier port) {
        return (ctx, request) -> {
            MetadataResponseBrokerCollection brokers = new MetadataResponseBrokerCollection();
            brokers.add(new MetadataResponseBroker().setNodeId(NODE_ID).setHost("127.0.0.1").setPort(port.getAsInt()));
            return CompletableFuture.completedFuture(new MetadataResponseData()
                .setBrokers(brokers).setClusterId(CLUSTER_ID).setControllerId(NODE_ID));
        };
    }
}
