package io.runnel.broker.network;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.TimeUnit;

/** Closes a connection that has neither read nor written for connections.max.idle.ms. */
final class IdleConnectionCloser extends IdleStateHandler {
    private static final Logger log = LoggerFactory.getLogger(IdleConnectionCloser.class);

    IdleConnectionCloser(long maxIdleMs) {
        super(0, 0, maxIdleMs, TimeUnit.MILLISECONDS);
    }

    @Override
    protected void channelIdle(ChannelHandlerContext ctx, IdleStateEvent evt) {
        log.debug("Closing connection from {}: idle for longer than connections.max.idle.ms", ctx.channel().remoteAddress());
        ctx.close();
    }
}
