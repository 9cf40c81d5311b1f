package io.runnel.broker.network;

import io.netty.channel.Channel;
import io.netty.channel.ChannelConfig;

/**
 * A connection's reasons to stop reading (Netty's auto-read), shared by the handlers that have one: the connection
 * reads only while none holds. Touched on the connection's event loop only.
 */
final class ReadPauses {
    /** A frame waits for request memory (queued.max.request.bytes). */
    static final int MEMORY = 1;
    /** Too many requests await their response (queued.max.requests), or the socket is not writable. */
    static final int RESPONSES = 2;
    /** The client is over a quota: muted for the throttle time of its last response. */
    static final int THROTTLE = 4;

    private int reasons;

    void set(Channel channel, int reason, boolean paused) {
        reasons = paused ? reasons | reason : reasons & ~reason;
        boolean read = reasons == 0;
        ChannelConfig config = channel.config();
        if (config.isAutoRead() != read) {
            config.setAutoRead(read);
        }
    }
}
