package io.runnel.broker.network;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.concurrent.RejectedExecutionException;

/**
 * On a listener's server channel: admits each accepted connection against the {@link ConnectionQuotas}. Without a
 * slot (max.connections, broker-wide or for this listener) the listener stops accepting, as Kafka's acceptor blocks:
 * connections already accepted wait here in order, the rest in the kernel's backlog, until a connection closes. A
 * connection from an address at its max.connections.per.ip is closed at once. Touched on the server channel's event
 * loop, except {@link #slotReleased}.
 */
final class ConnectionAdmission extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(ConnectionAdmission.class);

    private final String listener;
    private final ConnectionQuotas quotas;
    private final ArrayDeque<Channel> waiting = new ArrayDeque<>();
    /** Set while the listener does not accept; read by threads releasing slots. */
    private volatile boolean blocked;
    /** waiting.size(), for other threads to read. */
    private volatile int waitingCount;
    private ChannelHandlerContext ctx;

    ConnectionAdmission(String listener, ConnectionQuotas quotas) {
        this.listener = listener;
        this.quotas = quotas;
        quotas.register(this);
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        waiting.addLast((Channel) msg);
        waitingCount = waiting.size();
        if (blocked) {
            ctx.channel().config().setAutoRead(false); // Netty re-enables accepting a while after an accept error
        } else {
            admitWaiting();
        }
    }

    /** Called on any thread when a connection closes: a blocked listener tries again on its own event loop. */
    void slotReleased() {
        if (blocked) {
            try {
                ctx.channel().eventLoop().execute(this::admitWaiting);
            } catch (RejectedExecutionException e) {
                // the server is shutting down: nothing waits to be admitted
            }
        }
    }

    private void admitWaiting() {
        while (!waiting.isEmpty()) {
            if (quotas.tryAcquireSlot(listener)) {
                Channel child = waiting.pollFirst();
                waitingCount = waiting.size();
                admit(child);
            } else if (blocked) {
                return;
            } else {
                // Blocked before trying once more: a slot released in between either is seen here or wakes us.
                blocked = true;
                ctx.channel().config().setAutoRead(false);
            }
        }
        if (blocked) {
            blocked = false;
            ctx.channel().config().setAutoRead(true);
        }
    }

    /** Accepted connections waiting for a slot. */
    int waitingCount() {
        return waitingCount;
    }

    private void admit(Channel child) {
        if (!(child.remoteAddress() instanceof InetSocketAddress remote)) {
            quotas.releaseSlot(listener); // reset before it could be admitted: nothing to serve
            child.unsafe().closeForcibly();
            return;
        }
        InetAddress address = remote.getAddress();
        if (!quotas.tryAcquireAddress(address)) {
            quotas.releaseSlot(listener);
            log.info("Rejected connection from {}, address already has the configured maximum of {} connections "
                + "(max.connections.per.ip)", address, quotas.maxConnectionsPerIp(address));
            child.unsafe().closeForcibly();
            return;
        }
        child.closeFuture().addListener(closed -> {
            quotas.releaseAddress(address);
            quotas.releaseSlot(listener);
        });
        ctx.fireChannelRead(child);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        waiting.forEach(child -> child.unsafe().closeForcibly());
        waiting.clear();
        waitingCount = 0;
        ctx.fireChannelInactive();
    }
}
