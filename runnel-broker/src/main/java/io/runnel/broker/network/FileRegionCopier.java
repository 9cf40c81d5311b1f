package io.runnel.broker.network;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.FileRegion;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;

/**
 * On a TLS connection, the log regions of fetch responses are read into buffers for the TLS handler to encrypt
 * (sendfile cannot encrypt): the copy Kafka's SSL transport makes too. The bytes come from the page cache of
 * segments already written; nothing here creates, flushes or waits for a file.
 */
@ChannelHandler.Sharable
final class FileRegionCopier extends ChannelOutboundHandlerAdapter {
    static final FileRegionCopier INSTANCE = new FileRegionCopier();

    private FileRegionCopier() {
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
        if (!(msg instanceof FileRegion region)) {
            ctx.write(msg, promise);
            return;
        }
        ByteBuf copy = ctx.alloc().buffer((int) region.count());
        try {
            BufferChannel target = new BufferChannel(copy);
            while (region.transferred() < region.count()) {
                if (region.transferTo(target, region.transferred()) <= 0) {
                    throw new IOException("log region ended after " + region.transferred() + " of " + region.count()
                            + " bytes");
                }
            }
        } catch (IOException | RuntimeException e) {
            copy.release();
            region.release();
            promise.setFailure(e);
            return;
        }
        region.release();
        ctx.write(copy, promise);
    }

    /** A channel that appends what is written to a buffer. */
    private record BufferChannel(ByteBuf buffer) implements WritableByteChannel {
        @Override
        public int write(ByteBuffer src) {
            int bytes = src.remaining();
            buffer.writeBytes(src);
            return bytes;
        }

        @Override
        public boolean isOpen() {
            return true;
        }

        @Override
        public void close() {
        }
    }
}
