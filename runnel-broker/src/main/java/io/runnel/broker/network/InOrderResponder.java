package io.runnel.broker.network;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.util.ReferenceCounted;
import io.runnel.broker.metrics.RequestTimes;
import io.runnel.broker.protocol.ApiDispatcher;
import io.runnel.broker.protocol.EncodedResponse;
import io.runnel.broker.protocol.ParsedRequest;
import io.runnel.broker.protocol.RequestContext;
import io.runnel.broker.protocol.RequestThrottle;
import io.runnel.broker.protocol.ResponseEncoder;
import org.apache.kafka.common.message.ApiVersionsRequestData;
import org.apache.kafka.common.protocol.ApiMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Dispatches each request and writes the responses in request order, whatever order and thread their futures
 * complete on (clients match responses to requests by order). Stops reading while too many requests await their
 * response or the socket is not writable.
 */
final class InOrderResponder extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(InOrderResponder.class);
    /** Kafka's name and version for a client that has not said (ApiVersions before v3). */
    private static final String UNKNOWN = "unknown";

    private final ApiDispatcher dispatcher;
    private final ListenerSpec listener;
    private final int maxInFlight;
    private final ReadPauses pauses;
    /** Requests in arrival order, each until its response is written; touched on the event loop only. */
    private final ArrayDeque<InFlight> inFlight = new ArrayDeque<>();
    private String clientSoftwareName = UNKNOWN;
    private String clientSoftwareVersion = UNKNOWN;
    private boolean closed;
    /** Muted for a quota until {@link #mutedUntilNanos}. */
    private boolean muted;
    private long mutedUntilNanos;

    InOrderResponder(ApiDispatcher dispatcher, ListenerSpec listener, int maxInFlight, ReadPauses pauses) {
        this.dispatcher = dispatcher;
        this.listener = listener;
        this.maxInFlight = maxInFlight;
        this.pauses = pauses;
    }

    /** A request awaiting its turn to be answered. */
    private static final class InFlight {
        final ParsedRequest request;
        final ReferenceCounted frame;
        final RequestThrottle throttle;
        /** Kafka's request stages of the request, or null when not kept. */
        final RequestTimes times;
        boolean done;
        EncodedResponse response;

        InFlight(ParsedRequest request, ReferenceCounted frame, RequestThrottle throttle, RequestTimes times) {
            this.request = request;
            this.frame = frame;
            this.throttle = throttle;
            this.times = times;
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        FramedRequest framed = (FramedRequest) msg;
        ParsedRequest request = framed.request();
        RequestTimes times = dispatcher.arrived(request);
        RequestContext context = new RequestContext(request.apiKey(), request.apiVersion(), request.correlationId(),
            request.clientId(), clientSoftwareName, clientSoftwareVersion,
            remoteAddress(ctx), listener.name(), listener.protocol(), ConnectionPrincipal.of(ctx.channel()),
            SaslAuthenticator.session(ctx.channel()), new RequestThrottle());
        if (request.data() instanceof ApiVersionsRequestData apiVersions && request.apiVersion() >= 3) {
            clientSoftwareName = apiVersions.clientSoftwareName();
            clientSoftwareVersion = apiVersions.clientSoftwareVersion();
        }
        InFlight entry = new InFlight(request, framed.frame(), context.throttle(), times);
        inFlight.addLast(entry);
        updateAutoRead(ctx);
        dispatcher.dispatch(context, request, times).whenComplete((response, error) -> {
            if (times != null) {
                times.completed();
            }
            if (ctx.executor().inEventLoop()) {
                complete(ctx, entry, response, error);
            } else {
                try {
                    ctx.executor().execute(() -> complete(ctx, entry, response, error));
                } catch (RejectedExecutionException e) {
                    entry.frame.release(); // the server is shutting down
                }
            }
        });
    }

    private static InetSocketAddress remoteAddress(ChannelHandlerContext ctx) {
        return ctx.channel().remoteAddress() instanceof InetSocketAddress address ? address : null;
    }

    private void complete(ChannelHandlerContext ctx, InFlight entry, ApiMessage response, Throwable error) {
        try {
            if (error == null && !closed && entry.request.expectsResponse()) {
                entry.response = encode(ctx, entry.request, response);
            }
        } catch (RuntimeException e) {
            error = e;
        } finally {
            entry.frame.release();
            entry.done = true;
        }
        if (error != null) {
            log.warn("Closing connection from {}: no response can be built for {}", ctx.channel().remoteAddress(),
                entry.request, error);
            ctx.close();
            return;
        }
        writeAnswered(ctx);
    }

    private static EncodedResponse encode(ChannelHandlerContext ctx, ParsedRequest request, ApiMessage response) {
        try {
            return ResponseEncoder.encode(ctx.alloc(), request, response);
        } catch (RuntimeException e) {
            log.error("Could not write the response to {}; answering with its error response instead", request, e);
            return ResponseEncoder.encode(ctx.alloc(), request, request.errorResponse(e));
        }
    }

    /** Writes every answered request at the head of the queue, then flushes once. */
    private void writeAnswered(ChannelHandlerContext ctx) {
        if (closed) {
            return;
        }
        boolean wrote = false;
        int throttleMs = 0;
        while (!inFlight.isEmpty() && inFlight.peekFirst().done) {
            InFlight answered = inFlight.pollFirst();
            RequestTimes times = answered.times;
            if (times != null) {
                times.dequeued();
            }
            if (answered.response != null) {
                answered.response.writeTo(ctx, times == null ? null : sentPromise(ctx, times));
                wrote = true;
            } else if (times != null) {
                times.sent(); // no response to send (acks=0)
            }
            throttleMs = Math.max(throttleMs, answered.throttle.ms());
        }
        if (wrote) {
            ctx.flush();
        }
        updateAutoRead(ctx);
        if (throttleMs > 0) {
            mute(ctx, throttleMs);
        }
    }

    /** A promise that records the request's times once its response is on the socket. */
    private static ChannelPromise sentPromise(ChannelHandlerContext ctx, RequestTimes times) {
        ChannelPromise promise = ctx.newPromise();
        promise.addListener(written -> {
            if (written.isSuccess()) {
                times.sent();
            }
        });
        return promise;
    }

    /** Stops reading for {@code ms} (or longer, if already muted for longer). */
    private void mute(ChannelHandlerContext ctx, int ms) {
        long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ms);
        if (until - mutedUntilNanos <= 0 && muted) {
            return;
        }
        mutedUntilNanos = until;
        if (!muted) {
            muted = true;
            pauses.set(ctx.channel(), ReadPauses.THROTTLE, true);
            ctx.executor().schedule(() -> unmuteWhenDue(ctx), ms, TimeUnit.MILLISECONDS);
        }
    }

    private void unmuteWhenDue(ChannelHandlerContext ctx) {
        long left = mutedUntilNanos - System.nanoTime();
        if (left > 0) {
            ctx.executor().schedule(() -> unmuteWhenDue(ctx), left, TimeUnit.NANOSECONDS);
            return;
        }
        muted = false;
        pauses.set(ctx.channel(), ReadPauses.THROTTLE, false);
    }

    private void updateAutoRead(ChannelHandlerContext ctx) {
        boolean read = inFlight.size() < maxInFlight && ctx.channel().isWritable();
        pauses.set(ctx.channel(), ReadPauses.RESPONSES, !read);
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        updateAutoRead(ctx);
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        closed = true;
        // Frames of requests still being handled are released when their futures complete: handlers may read them.
        for (InFlight entry : inFlight) {
            if (entry.response != null) {
                entry.response.release();
            }
        }
        inFlight.clear();
        ctx.fireChannelInactive();
    }
}
