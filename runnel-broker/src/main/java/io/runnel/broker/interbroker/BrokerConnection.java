package io.runnel.broker.interbroker;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.ssl.SslContext;
import io.netty.util.concurrent.Promise;
import io.runnel.broker.security.InterBrokerSasl;
import org.apache.kafka.common.errors.DisconnectException;
import org.apache.kafka.common.errors.NetworkException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.message.ApiMessageType;
import org.apache.kafka.common.message.RequestHeaderData;
import org.apache.kafka.common.message.ResponseHeaderData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.ObjectSerializationCache;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One connection to another broker: requests matched to responses by correlation id, sent once the connection is
 * ready (connected, and logged in when the inter-broker listener has SASL).
 */
final class BrokerConnection {
    private static final Logger log = LoggerFactory.getLogger(BrokerConnection.class);
    /** Largest response accepted: replica.fetch.response.max.bytes is 10 MiB by default, with room to spare. */
    private static final int MAX_RESPONSE_BYTES = 256 * 1024 * 1024;
    private static final int CONNECT_TIMEOUT_MS = 10_000;

    private record Pending(ApiKeys key, short version, CompletableFuture<ApiMessage> future) {
    }

    private final InetSocketAddress address;
    private final String clientId;
    private final ChannelFuture connected;
    /** The channel once requests may go: connected and, with SASL, logged in; listeners run in the order added. */
    private final Promise<Channel> ready;
    private final Map<Integer, Pending> inFlight = new ConcurrentHashMap<>();
    private final AtomicInteger nextCorrelationId = new AtomicInteger();
    private volatile boolean closed;

    private BrokerConnection(EventLoopGroup eventLoops, InetSocketAddress address, String clientId, SslContext tls,
                             InterBrokerSasl sasl) {
        this.address = address;
        this.clientId = clientId;
        this.connected = new Bootstrap()
                .group(eventLoops)
                .channel(NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, CONNECT_TIMEOUT_MS)
                .handler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        if (tls != null) {
                            // The peer's host name, for endpoint identification against its certificate.
                            ch.pipeline().addLast(tls.newHandler(ch.alloc(), address.getHostString(), address.getPort()));
                        }
                        ch.pipeline().addLast(new LengthFieldBasedFrameDecoder(MAX_RESPONSE_BYTES, 0, 4, 0, 4),
                                new ResponseHandler());
                    }
                })
                .connect(address);
        Channel channel = connected.channel();
        this.ready = channel.eventLoop().newPromise();
        channel.closeFuture().addListener(f -> {
            DisconnectException closed = new DisconnectException("Connection to " + address + " closed");
            if (sasl == null) {
                ready.tryFailure(closed);
            }
            // A login fails ready itself, once its last answer is read: a refused login's close must not win over
            // the refusal the peer sent before closing. Its pending requests fail here, its next write on the
            // closed channel fails, so ready always completes.
            failAll(closed);
        });
        connected.addListener(f -> {
            if (!f.isSuccess()) {
                ready.tryFailure(new NetworkException("Cannot connect to " + address, f.cause()));
            } else if (sasl == null) {
                ready.trySuccess(channel);
            } else {
                SaslLogin.run(sasl, address.getHostString(), (request, version) -> {
                    CompletableFuture<ApiMessage> answer = new CompletableFuture<>();
                    write(channel, request, version, CONNECT_TIMEOUT_MS, answer);
                    return answer;
                }).whenComplete((done, error) -> {
                    if (error == null) {
                        ready.trySuccess(channel);
                    } else {
                        Throwable cause = error instanceof CompletionException && error.getCause() != null
                                ? error.getCause() : error;
                        log.warn("Cannot log in to broker at {}: {}", address, cause.getMessage());
                        ready.tryFailure(cause);
                        close();
                    }
                });
            }
        });
    }

    static BrokerConnection connect(EventLoopGroup eventLoops, InetSocketAddress address, String clientId, SslContext tls,
                                    InterBrokerSasl sasl) {
        return new BrokerConnection(eventLoops, address, clientId, tls, sasl);
    }

    InetSocketAddress address() {
        return address;
    }

    boolean isUsable() {
        return !closed && (!connected.isDone() || connected.channel().isActive()) && (!ready.isDone() || ready.isSuccess());
    }

    CompletableFuture<ApiMessage> send(ApiMessage request, short version, long timeoutMs) {
        CompletableFuture<ApiMessage> future = new CompletableFuture<>();
        ready.addListener(f -> {
            if (f.isSuccess()) {
                write(ready.getNow(), request, version, timeoutMs, future);
            } else {
                future.completeExceptionally(f.cause());
            }
        });
        return future;
    }

    private void write(Channel channel, ApiMessage request, short version, long timeoutMs,
                       CompletableFuture<ApiMessage> future) {
        ApiKeys key = ApiKeys.forId(request.apiKey());
        int correlationId = nextCorrelationId.getAndIncrement();
        inFlight.put(correlationId, new Pending(key, version, future));
        if (closed) {
            fail(correlationId, new DisconnectException("Connection to " + address + " closed"));
            return;
        }
        channel.writeAndFlush(encode(key, request, version, correlationId)).addListener(w -> {
            if (!w.isSuccess()) {
                fail(correlationId, new NetworkException("Cannot send to " + address, w.cause()));
            }
        });
        channel.eventLoop().schedule(() -> {
            if (inFlight.containsKey(correlationId)) {
                fail(correlationId, new TimeoutException(key.name + " to " + address + " timed out after "
                        + timeoutMs + " ms"));
                close();
            }
        }, timeoutMs, TimeUnit.MILLISECONDS);
    }

    private ByteBuf encode(ApiKeys key, ApiMessage body, short version, int correlationId) {
        short headerVersion = key.requestHeaderVersion(version);
        RequestHeaderData header = new RequestHeaderData().setRequestApiKey(key.id).setRequestApiVersion(version)
                .setCorrelationId(correlationId).setClientId(clientId);
        ObjectSerializationCache cache = new ObjectSerializationCache();
        int size = header.size(cache, headerVersion) + body.size(cache, version);
        ByteBuffer buffer = ByteBuffer.allocate(Integer.BYTES + size).putInt(size);
        ByteBufferAccessor accessor = new ByteBufferAccessor(buffer);
        header.write(accessor, cache, headerVersion);
        body.write(accessor, cache, version);
        return Unpooled.wrappedBuffer(buffer.flip());
    }

    private void fail(int correlationId, Exception error) {
        Pending pending = inFlight.remove(correlationId);
        if (pending != null) {
            pending.future.completeExceptionally(error);
        }
    }

    private void failAll(Exception error) {
        closed = true;
        for (Integer correlationId : inFlight.keySet()) {
            fail(correlationId, error);
        }
    }

    void close() {
        closed = true;
        connected.channel().close();
    }

    /** Parses each response frame (copied to the heap, so fetched records outlive the network buffer). */
    private final class ResponseHandler extends SimpleChannelInboundHandler<ByteBuf> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, ByteBuf frame) {
            byte[] bytes = new byte[frame.readableBytes()];
            frame.readBytes(bytes);
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            // Every response header version starts with the correlation id.
            Pending pending = inFlight.remove(buffer.getInt(0));
            if (pending == null) {
                ctx.close();
                return;
            }
            try {
                ByteBufferAccessor accessor = new ByteBufferAccessor(buffer);
                new ResponseHeaderData(accessor, pending.key.responseHeaderVersion(pending.version));
                ApiMessage body = ApiMessageType.fromApiKey(pending.key.id).newResponse();
                body.read(accessor, pending.version);
                pending.future.complete(body);
            } catch (RuntimeException e) {
                pending.future.completeExceptionally(e);
                ctx.close();
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            failAll(new NetworkException("Connection to " + address + " failed", cause));
            ctx.close();
        }
    }
}
