package io.runnel.broker.interbroker;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.runnel.broker.security.InterBrokerSasl;
import org.apache.kafka.common.errors.BrokerNotAvailableException;
import org.apache.kafka.common.protocol.ApiMessage;

import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

/**
 * The one client a broker uses to talk to other brokers (follower fetches, and whatever else one broker sends
 * another): Kafka's request header and message classes over Netty connections, one per destination broker and
 * channel, each reused for its channel's requests and replaced when it breaks or the broker's inter-broker endpoint
 * moves. A broker answers the requests of a connection in order, so each follower fetcher has a channel of its own,
 * as Kafka's fetcher threads have their own connections: behind a request that waits for replication (a
 * WriteTxnMarkers answered once its markers are on every ISR member) a fetch response would stall the very
 * replication it waits for.
 */
public final class InterBrokerClient implements AutoCloseable {
    private static final long SHUTDOWN_TIMEOUT_MS = 5_000;

    private final String clientId;
    private final IntFunction<InetSocketAddress> endpoints;
    /** Null when the inter-broker listener is PLAINTEXT. */
    private volatile SslContext tls;
    /** Null when the inter-broker listener has no SASL. */
    private final InterBrokerSasl sasl;
    private final EventLoopGroup eventLoops =
            new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("runnel-inter-broker", true), NioIoHandler.newFactory());
    private final Map<Channel, BrokerConnection> connections = new ConcurrentHashMap<>();

    /** The connection requests to one broker share. */
    private record Channel(int brokerId, String name) {
    }

    /** The channel of every request that is not a follower fetch or a transaction check. */
    public static final String CONTROL = "control";
    /**
     * The channel of partition leaders' questions to transaction coordinators, which produce requests wait on: never
     * behind markers waiting for their replication on the control channel.
     */
    public static final String TRANSACTIONS = "transactions";

    /**
     * @param endpoints a broker id's inter-broker listener address in the current metadata, or null when the
     *                  broker is not registered
     * @param tls       the client side of the inter-broker listener's TLS, or null for a PLAINTEXT listener
     * @param sasl      the login on the inter-broker listener, or null when it has no SASL
     */
    public InterBrokerClient(int localBrokerId, IntFunction<InetSocketAddress> endpoints, SslContext tls,
                             InterBrokerSasl sasl) {
        this.clientId = "runnel-broker-" + localBrokerId;
        this.endpoints = endpoints;
        this.tls = tls;
        this.sasl = sasl;
    }

    /**
     * Sends {@code request} at {@code version} to broker {@code brokerId} on the connection of {@code channel}. The
     * future fails with the connection error, or with a {@code TimeoutException} after {@code timeoutMs} (the
     * connection is then closed, as a late response would be out of order).
     */
    public CompletableFuture<ApiMessage> send(int brokerId, String channel, ApiMessage request, short version,
                                              long timeoutMs) {
        InetSocketAddress address = endpoints.apply(brokerId);
        if (address == null) {
            return CompletableFuture.failedFuture(
                    new BrokerNotAvailableException("Broker " + brokerId + " has no inter-broker endpoint"));
        }
        BrokerConnection connection = connections.compute(new Channel(brokerId, channel), (id, existing) ->
                existing != null && existing.isUsable() && existing.address().equals(address)
                        ? existing : open(existing, address));
        return connection.send(request, version, timeoutMs);
    }

    /** The TLS of connections opened from now on, after the inter-broker listener's stores changed. */
    public void replaceTls(SslContext tls) {
        this.tls = tls;
    }

    private BrokerConnection open(BrokerConnection stale, InetSocketAddress address) {
        if (stale != null) {
            stale.close();
        }
        return BrokerConnection.connect(eventLoops, address, clientId, tls, sasl);
    }

    @Override
    public void close() {
        connections.values().forEach(BrokerConnection::close);
        connections.clear();
        eventLoops.shutdownGracefully(0, SHUTDOWN_TIMEOUT_MS, TimeUnit.MILLISECONDS).awaitUninterruptibly(SHUTDOWN_TIMEOUT_MS);
    }
}
