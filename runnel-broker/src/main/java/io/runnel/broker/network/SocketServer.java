package io.runnel.broker.network;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutor;
import io.runnel.broker.metrics.BrokerMetrics;
import io.runnel.broker.metrics.IdleMetrics;
import io.runnel.broker.metrics.SocketServerMetrics;
import io.runnel.broker.protocol.ApiDispatcher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The broker's listeners: accepts connections and serves the Kafka protocol on them through the dispatcher. */
public final class SocketServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SocketServer.class);
    private static final long SHUTDOWN_TIMEOUT_MS = 10_000;

    private final List<ListenerSpec> listeners;
    private final Map<String, ListenerTls> tls;
    private final Map<String, ListenerSasl> sasl;
    private final NetworkConfig config;
    private final ApiDispatcher dispatcher;
    private final RequestMemoryPool requestMemory;
    private final ConnectionQuotas connectionQuotas;
    private final Map<String, Channel> boundChannels = new LinkedHashMap<>();
    private final BrokerMetrics metrics;
    private EventLoopGroup eventLoops;

    /**
     * With metrics of its own, exported nowhere: for tests of the network layer alone.
     *
     * @param tls  the TLS of each SSL and SASL_SSL listener, by listener name
     * @param sasl the SASL of each SASL_PLAINTEXT and SASL_SSL listener, by listener name
     */
    public SocketServer(List<ListenerSpec> listeners, Map<String, ListenerTls> tls, Map<String, ListenerSasl> sasl,
                        NetworkConfig config, ApiDispatcher dispatcher) {
        this(listeners, tls, sasl, config, dispatcher, new BrokerMetrics());
    }

    /** @param metrics where each listener's connections on each network thread are counted */
    public SocketServer(List<ListenerSpec> listeners, Map<String, ListenerTls> tls, Map<String, ListenerSasl> sasl,
                        NetworkConfig config, ApiDispatcher dispatcher, BrokerMetrics metrics) {
        this.metrics = metrics;
        this.listeners = List.copyOf(listeners);
        this.tls = Map.copyOf(tls);
        this.sasl = Map.copyOf(sasl);
        this.config = config;
        this.dispatcher = dispatcher;
        this.requestMemory = new RequestMemoryPool(
            config.queuedMaxRequestBytes() > 0 ? config.queuedMaxRequestBytes() : Long.MAX_VALUE);
        this.connectionQuotas = new ConnectionQuotas(config.connectionLimits(),
            this.listeners.stream().map(ListenerSpec::name).toList());
    }

    /** Binds every listener (port 0: an ephemeral port, see {@link #boundPort}); on failure nothing stays bound. */
    public synchronized void start() throws InterruptedException {
        boolean epoll = Epoll.isAvailable();
        IdleTimingIoHandlerFactory ioHandler = new IdleTimingIoHandlerFactory(
            epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
        Class<? extends ServerChannel> channelType = epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
        eventLoops = new MultiThreadIoEventLoopGroup(config.numNetworkThreads(),
            new DefaultThreadFactory("runnel-network"), ioHandler);
        new IdleMetrics(metrics, ioHandler::idleNanos, config.numNetworkThreads());
        try {
            for (ListenerSpec listener : listeners) {
                Channel channel = bootstrap(listener, channelType).bind(address(listener)).sync().channel();
                boundChannels.put(listener.name(), channel);
                log.info("Listening for {} on {} ({})", listener.name(), channel.localAddress(), epoll ? "epoll" : "nio");
            }
        } catch (InterruptedException | RuntimeException e) {
            close();
            throw e;
        }
    }

    private ServerBootstrap bootstrap(ListenerSpec listener, Class<? extends ServerChannel> channelType) {
        ServerBootstrap bootstrap = new ServerBootstrap()
            .group(eventLoops)
            .channel(channelType)
            .handler(new ConnectionAdmission(listener.name(), connectionQuotas))
            .childOption(ChannelOption.TCP_NODELAY, true)
            .childHandler(new ConnectionInitializer(listener, tls.get(listener.name()), sasl.get(listener.name()), config,
                dispatcher, requestMemory, processorMetrics(listener.name())));
        if (config.socketReceiveBufferBytes() > 0) {
            // Set on the listening socket so accepted sockets get it before the TCP window is negotiated.
            bootstrap.option(ChannelOption.SO_RCVBUF, config.socketReceiveBufferBytes());
        }
        if (config.socketSendBufferBytes() > 0) {
            bootstrap.childOption(ChannelOption.SO_SNDBUF, config.socketSendBufferBytes());
        }
        return bootstrap;
    }

    /**
     * The listener's socket-server-metrics on each event loop, numbered in the group's order (Kafka's network
     * processors): made once, before the listener accepts, so a connection only looks its loop up.
     */
    private Map<EventExecutor, SocketServerMetrics> processorMetrics(String listener) {
        Map<EventExecutor, SocketServerMetrics> byLoop = new IdentityHashMap<>();
        int index = 0;
        for (EventExecutor loop : eventLoops) {
            byLoop.put(loop, new SocketServerMetrics(metrics, listener, index++));
        }
        return byLoop;
    }

    private static InetSocketAddress address(ListenerSpec listener) {
        return listener.host() == null || listener.host().isEmpty()
            ? new InetSocketAddress(listener.port())
            : new InetSocketAddress(listener.host(), listener.port());
    }

    public synchronized int boundPort(String listenerName) {
        Channel channel = boundChannels.get(listenerName);
        if (channel == null) {
            throw new IllegalArgumentException("no bound listener named " + listenerName);
        }
        return ((InetSocketAddress) channel.localAddress()).getPort();
    }

    /** Request bytes reserved now: frames being read, queued or handled (queued.max.request.bytes). */
    long requestMemoryReserved() {
        return requestMemory.reserved();
    }

    /** Frames waiting for request memory now, each on a connection that stopped reading. */
    int requestMemoryWaiting() {
        return requestMemory.waiting();
    }

    /** Connections admitted and not yet closed, on every listener. */
    int connections() {
        return connectionQuotas.connections();
    }

    int connections(String listenerName) {
        return connectionQuotas.connections(listenerName);
    }

    /** Accepted connections not yet admitted: their listener waits for max.connections to allow one more. */
    int connectionsWaitingForSlot() {
        return connectionQuotas.waitingForSlot();
    }

    /** The connection limits in force now. */
    public ConnectionLimits connectionLimits() {
        return connectionQuotas.limits();
    }

    /** Applies new connection limits to the connections admitted from now on. Any thread. */
    public void updateConnectionLimits(ConnectionLimits limits) {
        connectionQuotas.updateLimits(limits);
    }

    /** Stops accepting, closes every connection and stops the event loops, waiting a bounded time. */
    @Override
    public synchronized void close() {
        if (eventLoops == null) {
            return;
        }
        boundChannels.values().forEach(Channel::close);
        boundChannels.clear();
        eventLoops.shutdownGracefully(0, SHUTDOWN_TIMEOUT_MS, TimeUnit.MILLISECONDS);
        try {
            if (!eventLoops.awaitTermination(SHUTDOWN_TIMEOUT_MS, TimeUnit.MILLISECONDS)) {
                log.warn("Network threads did not stop within {} ms", SHUTDOWN_TIMEOUT_MS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        eventLoops = null;
    }
}
