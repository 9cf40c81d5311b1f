package io.runnel.broker.network;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.ssl.NotSslRecordException;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.runnel.broker.metrics.SocketServerMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLException;

/**
 * Right after the TLS handler: once the handshake succeeds, the connection's principal is the client certificate's
 * (see {@link ConnectionPrincipal}); a failed handshake, or bytes that are not TLS records, close this connection
 * with one WARN naming the peer and the reason, and nothing else.
 */
final class TlsConnection extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(TlsConnection.class);

    private final ListenerSpec listener;
    private final ListenerTls tls;
    private boolean established;
    /** Where the handshake counts as the authentication, on an SSL listener; null under SASL. */
    private final SocketServerMetrics authentications;

    TlsConnection(ListenerSpec listener, ListenerTls tls, SocketServerMetrics authentications) {
        this.authentications = authentications;
        this.listener = listener;
        this.tls = tls;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof SslHandshakeCompletionEvent handshake) {
            if (handshake.isSuccess()) {
                if (authentications != null) {
                    authentications.authenticated();
                }
                established(ctx);
            } else {
                if (authentications != null) {
                    authentications.authenticationFailed();
                }
                log.warn("Closing connection from {} on listener {}: TLS handshake failed: {}",
                        ctx.channel().remoteAddress(), listener.name(), reason(handshake.cause()));
                ctx.close();
            }
        }
        super.userEventTriggered(ctx, evt);
    }

    private void established(ChannelHandlerContext ctx) {
        SslHandler ssl = ctx.pipeline().get(SslHandler.class);
        try {
            ConnectionPrincipal.set(ctx.channel(), tls.principals().of(ssl.engine().getSession()));
            established = true;
        } catch (IllegalArgumentException e) {
            log.warn("Closing connection from {} on listener {}: {}", ctx.channel().remoteAddress(), listener.name(),
                    e.getMessage());
            ctx.close();
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) throws Exception {
        if (!isTlsFailure(cause)) {
            super.exceptionCaught(ctx, cause);
            return;
        }
        if (established) {
            // A failed handshake was logged when its completion event came.
            log.warn("Closing connection from {} on listener {}: {}", ctx.channel().remoteAddress(), listener.name(),
                    reason(cause));
        }
        ctx.close();
    }

    private static boolean isTlsFailure(Throwable cause) {
        return cause instanceof SSLException || cause instanceof DecoderException && cause.getCause() instanceof SSLException
                || cause instanceof NotSslRecordException;
    }

    /** The failure and, when it wraps another (a certificate that fails verification), its root cause. */
    private static String reason(Throwable cause) {
        Throwable top = cause instanceof DecoderException && cause.getCause() != null ? cause.getCause() : cause;
        Throwable root = top;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return describe(top) + (root == top ? "" : " (" + describe(root) + ")");
    }

    private static String describe(Throwable t) {
        String message = t.getMessage();
        if (message != null && message.length() > 200) {
            message = message.substring(0, 200) + "...";
        }
        return t.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }
}
