package io.runnel.broker.network;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.AttributeKey;
import io.runnel.broker.metrics.SocketServerMetrics;
import io.runnel.broker.protocol.ParsedRequest;
import io.runnel.broker.protocol.ResponseEncoder;
import io.runnel.broker.protocol.SaslSession;
import org.apache.kafka.common.errors.IllegalSaslStateException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.message.SaslAuthenticateRequestData;
import org.apache.kafka.common.message.SaslAuthenticateResponseData;
import org.apache.kafka.common.message.SaslHandshakeRequestData;
import org.apache.kafka.common.message.SaslHandshakeResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.security.auth.KafkaPrincipal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.security.sasl.SaslException;
import javax.security.sasl.SaslServer;

/**
 * Authenticates a connection of a SASL listener before any other request reaches the broker, as Kafka's SASL server
 * does: ApiVersions and SaslHandshake (v1, KIP-152) first, then SaslAuthenticate requests carrying the mechanism's
 * tokens. Once the mechanism completes, the connection's principal is {@code User:<authorization id>}, frames may be
 * as large as {@code socket.request.max.bytes}, and this handler leaves the pipeline, or, when the listener sets
 * {@code connections.max.reauth.ms}, stays to close the connection once its {@link SaslSession} has ended.
 * <p>
 * As in Kafka: any other request before the handshake closes the connection unanswered; a mechanism the listener
 * does not offer is answered UNSUPPORTED_SASL_MECHANISM, a request other than SaslAuthenticate after the handshake
 * ILLEGAL_SASL_STATE, and failed credentials SASL_AUTHENTICATION_FAILED with the mechanism's message; each of those
 * closes the connection once the answer is written. Mechanisms only compare the credentials with those in memory,
 * so authentication runs on the event loop.
 */
final class SaslAuthenticator extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(SaslAuthenticator.class);
    /** Handshake v0 is followed by tokens without Kafka headers, which this server does not read. */
    private static final short FIRST_FRAMED_HANDSHAKE_VERSION = 1;

    private enum State { HANDSHAKE, AUTHENTICATE, AUTHENTICATED, FAILED }

    private static final AttributeKey<SaslSession> SESSION = AttributeKey.valueOf("runnel.sasl.session");

    private final ListenerSpec listener;
    private final SocketServerMetrics authentications;
    private final ListenerSasl sasl;
    private final FrameDecoder frames;
    private final int authenticatedMaxFrameBytes;
    private State state = State.HANDSHAKE;
    private String mechanism;
    private SaslServer server;

    SaslAuthenticator(ListenerSpec listener, ListenerSasl sasl, FrameDecoder frames, int authenticatedMaxFrameBytes,
                      SocketServerMetrics authentications) {
        this.authentications = authentications;
        this.listener = listener;
        this.sasl = sasl;
        this.frames = frames;
        this.authenticatedMaxFrameBytes = authenticatedMaxFrameBytes;
    }

    /** The connection's SASL session when its listener makes clients log in again; null otherwise. */
    static SaslSession session(Channel channel) {
        return channel.attr(SESSION).get();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        FramedRequest framed = (FramedRequest) msg;
        ParsedRequest request = framed.request();
        if (state == State.HANDSHAKE && request.apiKey() == ApiKeys.API_VERSIONS) {
            ctx.fireChannelRead(framed);
            return;
        }
        if (state == State.AUTHENTICATED) {
            // A new login (SaslHandshake, SaslAuthenticate) is answered in order by the broker's handler; anything
            // else needs a session that has not ended.
            boolean login = request.apiKey() == ApiKeys.SASL_HANDSHAKE || request.apiKey() == ApiKeys.SASL_AUTHENTICATE;
            if (login || !session(ctx.channel()).ended(System.nanoTime())) {
                ctx.fireChannelRead(framed);
                return;
            }
            framed.frame().release();
            close(ctx, request + " after the SASL session ended (connections.max.reauth.ms): the client did not log"
                    + " in again in time, or its new login failed");
            return;
        }
        try {
            switch (state) {
                case HANDSHAKE -> handshake(ctx, request);
                case AUTHENTICATE -> authenticate(ctx, request);
                case AUTHENTICATED, FAILED -> {
                    // the connection is closing once its last answer is written
                }
            }
        } finally {
            framed.frame().release();
        }
    }

    private void handshake(ChannelHandlerContext ctx, ParsedRequest request) {
        if (request.apiKey() != ApiKeys.SASL_HANDSHAKE) {
            close(ctx, "unexpected " + request + " before SASL authentication (only ApiVersions and SaslHandshake are"
                    + " accepted before it)");
            return;
        }
        if (request.apiVersion() < FIRST_FRAMED_HANDSHAKE_VERSION) {
            close(ctx, "SaslHandshake v0 (SASL tokens without Kafka request headers, clients older than Kafka 1.0) is"
                    + " not supported");
            return;
        }
        String asked = ((SaslHandshakeRequestData) request.data()).mechanism();
        SaslHandshakeResponseData response = new SaslHandshakeResponseData().setMechanisms(sasl.mechanisms());
        if (!sasl.mechanisms().contains(asked)) {
            failed(ctx, request, response.setErrorCode(Errors.UNSUPPORTED_SASL_MECHANISM.code()),
                    "Unsupported SASL mechanism " + asked + ", this listener offers " + sasl.mechanisms());
            return;
        }
        mechanism = asked;
        server = sasl.newServer(asked);
        state = State.AUTHENTICATE;
        respond(ctx, request, response.setErrorCode(Errors.NONE.code()));
    }

    private void authenticate(ChannelHandlerContext ctx, ParsedRequest request) {
        if (request.apiKey() != ApiKeys.SASL_AUTHENTICATE) {
            IllegalSaslStateException e = new IllegalSaslStateException("Unexpected Kafka request of type "
                    + request.apiKey() + " during SASL authentication.");
            log.warn("Closing connection from {} on listener {}: {}", ctx.channel().remoteAddress(), listener.name(),
                    e.getMessage());
            answerAndClose(ctx, request, request.errorResponse(e));
            return;
        }
        byte[] token = ((SaslAuthenticateRequestData) request.data()).authBytes();
        byte[] challenge;
        try {
            challenge = server.evaluateResponse(token);
        } catch (SaslAuthenticationException e) {
            failed(ctx, request, authenticationFailed(e.getMessage()), e.getMessage());
            return;
        } catch (SaslException | RuntimeException e) {
            // Kafka's answer, which does not repeat the mechanism's message: it may tell whether the user exists.
            String message = "Authentication failed during authentication due to invalid credentials with SASL "
                    + "mechanism " + mechanism;
            failed(ctx, request, authenticationFailed(message), message + " (" + e.getMessage() + ")");
            return;
        }
        SaslAuthenticateResponseData response = new SaslAuthenticateResponseData()
                .setAuthBytes(challenge == null ? new byte[0] : challenge);
        long maxReauthMs = sasl.maxReauthMs(mechanism);
        if (server.isComplete()) {
            response.setSessionLifetimeMs(SaslSession.lifetimeMs(maxReauthMs, server));
        }
        respond(ctx, request, response);
        if (server.isComplete()) {
            authenticated(ctx, maxReauthMs);
        }
    }

    /**
     * The connection is served as its principal; this handler leaves the pipeline, unless sessions end
     * ({@code connections.max.reauth.ms}), when it stays to close a connection used after its session.
     */
    private void authenticated(ChannelHandlerContext ctx, long maxReauthMs) {
        authentications.authenticated();
        String principal = server.getAuthorizationID();
        ConnectionPrincipal.set(ctx.channel(), new KafkaPrincipal(KafkaPrincipal.USER_TYPE, principal));
        log.debug("Authenticated {} as User:{} with {} on listener {}", ctx.channel().remoteAddress(),
                principal, mechanism, listener.name());
        frames.maxFrameBytes(authenticatedMaxFrameBytes, "socket.request.max.bytes");
        if (maxReauthMs > 0) {
            ctx.channel().attr(SESSION).set(new SaslSession(mechanism, principal, () -> sasl.newServer(mechanism),
                    maxReauthMs, server));
            disposeServer();
            state = State.AUTHENTICATED;
        } else {
            disposeServer();
            ctx.pipeline().remove(this);
        }
    }

    private static SaslAuthenticateResponseData authenticationFailed(String message) {
        return new SaslAuthenticateResponseData().setErrorCode(Errors.SASL_AUTHENTICATION_FAILED.code())
                .setErrorMessage(message);
    }

    /** Answers a failed authentication, logs it as Kafka does with the peer's address, and closes the connection. */
    private void failed(ChannelHandlerContext ctx, ParsedRequest request, ApiMessage response, String reason) {
        authentications.authenticationFailed();
        log.info("Failed authentication with {} on listener {} ({})", ctx.channel().remoteAddress(), listener.name(),
                reason);
        answerAndClose(ctx, request, response);
    }

    private void answerAndClose(ChannelHandlerContext ctx, ParsedRequest request, ApiMessage response) {
        state = State.FAILED;
        disposeServer();
        ResponseEncoder.encode(ctx.alloc(), request, response).writeTo(ctx);
        ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
    }

    private static void respond(ChannelHandlerContext ctx, ParsedRequest request, ApiMessage response) {
        ResponseEncoder.encode(ctx.alloc(), request, response).writeTo(ctx);
        ctx.flush();
    }

    private void close(ChannelHandlerContext ctx, String reason) {
        log.warn("Closing connection from {} on listener {}: {}", ctx.channel().remoteAddress(), listener.name(), reason);
        state = State.FAILED;
        disposeServer();
        ctx.close();
    }

    private void disposeServer() {
        if (server != null) {
            try {
                server.dispose();
            } catch (SaslException e) {
                log.debug("Disposing of the {} server failed", mechanism, e);
            }
            server = null;
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        disposeServer();
        super.channelInactive(ctx);
    }
}
