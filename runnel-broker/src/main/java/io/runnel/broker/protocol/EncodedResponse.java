package io.runnel.broker.protocol;

import io.netty.channel.ChannelOutboundInvoker;
import io.netty.channel.ChannelPromise;
import io.netty.util.ReferenceCountUtil;

import java.util.List;

/** A serialized response: size prefix, header and body as buffers and file regions, to be written in this order. */
public final class EncodedResponse {
    private final List<Object> parts;

    EncodedResponse(List<Object> parts) {
        this.parts = parts;
    }

    /** Writes every part without flushing; the parts then belong to the channel. */
    public void writeTo(ChannelOutboundInvoker out) {
        writeTo(out, null);
    }

    /**
     * Writes every part without flushing, as {@link #writeTo(ChannelOutboundInvoker)}; {@code written} (or, when null, no
     * promise) completes once the last part is on the socket.
     */
    public void writeTo(ChannelOutboundInvoker out, ChannelPromise written) {
        int last = parts.size() - 1;
        for (int i = 0; i <= last; i++) {
            out.write(parts.get(i), i == last && written != null ? written : out.voidPromise());
        }
    }

    /** Frees the parts of a response that will never be written. */
    public void release() {
        parts.forEach(ReferenceCountUtil::release);
    }
}
