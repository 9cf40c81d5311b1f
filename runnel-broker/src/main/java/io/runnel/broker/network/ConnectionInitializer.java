package io.runnel.broker.network;

import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.util.concurrent.EventExecutor;
import io.runnel.broker.metrics.SocketServerMetrics;
import io.runnel.broker.protocol.ApiDispatcher;

import java.util.Map;

/** Builds each accepted connection's pipeline, one handler per concern. */
final class ConnectionInitializer extends ChannelInitializer<Channel> {
    private static final RequestDecoder REQUEST_DECODER = new RequestDecoder();
    private static final ConnectionErrorHandler ERROR_HANDLER = new ConnectionErrorHandler();

    private final ListenerSpec listener;
    private final NetworkConfig config;
    private final ApiDispatcher dispatcher;
    private final RequestMemoryPool memory;
    /** Null on a PLAINTEXT or SASL_PLAINTEXT listener. */
    private final ListenerTls tls;
    /** Null on a PLAINTEXT or SSL listener. */
    private final ListenerSasl sasl;
    /** The listener's metrics on each event loop; read only. */
    private final Map<EventExecutor, SocketServerMetrics> metrics;

    ConnectionInitializer(ListenerSpec listener, ListenerTls tls, ListenerSasl sasl, NetworkConfig config,
                          ApiDispatcher dispatcher, RequestMemoryPool memory,
                          Map<EventExecutor, SocketServerMetrics> metrics) {
        this.metrics = metrics;
        this.listener = listener;
        this.tls = tls;
        this.sasl = sasl;
        this.config = config;
        this.dispatcher = dispatcher;
        this.memory = memory;
    }

    @Override
    protected void initChannel(Channel channel) {
        ChannelPipeline pipeline = channel.pipeline();
        SocketServerMetrics counted = metrics.get(channel.eventLoop());
        counted.connectionOpened();
        channel.closeFuture().addListener(closed -> counted.connectionClosed());
        if (config.connectionsMaxIdleMs() > 0) {
            pipeline.addLast("idle", new IdleConnectionCloser(config.connectionsMaxIdleMs()));
        }
        if (tls != null) {
            // TLS decrypts before framing; SASL, when there is one, authenticates on the frames after it.
            pipeline.addLast("tls", tls.context().newHandler(channel.alloc()));
            pipeline.addLast("tls-connection", new TlsConnection(listener, tls, sasl == null ? counted : null));
            pipeline.addLast("file-regions", FileRegionCopier.INSTANCE);
        }
        ReadPauses pauses = new ReadPauses();
        FrameDecoder frames = new FrameDecoder(config.socketRequestMaxBytes(), memory, pauses);
        pipeline.addLast("frame", frames);
        pipeline.addLast("request", REQUEST_DECODER);
        if (sasl != null) {
            frames.maxFrameBytes(Math.min(sasl.maxReceiveBytes(), config.socketRequestMaxBytes()),
                    "sasl.server.max.receive.size");
            pipeline.addLast("sasl", new SaslAuthenticator(listener, sasl, frames, config.socketRequestMaxBytes(),
                    counted));
        }
        pipeline.addLast("respond", new InOrderResponder(dispatcher, listener, config.maxInFlightRequestsPerConnection(), pauses));
        pipeline.addLast("errors", ERROR_HANDLER);
    }
}
