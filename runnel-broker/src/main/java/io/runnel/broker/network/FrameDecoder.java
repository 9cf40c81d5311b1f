package io.runnel.broker.network;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.ByteToMessageDecoder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.RejectedExecutionException;

/**
 * Splits the stream into request frames (4-byte big-endian size, then that many bytes), bounded by
 * socket.request.max.bytes, and reserves each frame's size in the broker's request memory as soon as its size prefix
 * is read. While a reservation waits for memory the connection stops reading, and the frame's bytes stay in the
 * kernel; the reservation passes to the emitted {@link RequestFrame}, or is returned if the connection closes first.
 * (Netty's ByteToMessageDecoder asks for more input whenever it emits nothing with auto-read off, which would read a
 * waiting frame regardless.)
 */
final class FrameDecoder extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(FrameDecoder.class);
    private static final int NO_FRAME = -1;

    private int maxFrameBytes;
    /** The setting that bounds frames now, for the WARN when one is larger. */
    private String maxFrameBytesKey = "socket.request.max.bytes";
    private final RequestMemoryPool memory;
    private final ReadPauses pauses;
    /** Bytes read and not yet framed. */
    private ByteBuf buffered;
    /** Size of the frame whose prefix was read, or NO_FRAME. */
    private int frameSize = NO_FRAME;
    /** Whether frameSize bytes are reserved in the request memory for this connection. */
    private boolean frameReserved;
    /** The reservation waiting for memory, if any. */
    private FrameReservation waiting;
    /** Set once the connection is closing: bytes are dropped and a late grant is returned. */
    private boolean done;

    FrameDecoder(int maxFrameBytes, RequestMemoryPool memory, ReadPauses pauses) {
        this.maxFrameBytes = maxFrameBytes;
        this.memory = memory;
        this.pauses = pauses;
    }

    /** Bounds the frames read from now on, by the setting {@code key}. */
    void maxFrameBytes(int bytes, String key) {
        maxFrameBytes = bytes;
        maxFrameBytesKey = key;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf in = (ByteBuf) msg;
        if (done) {
            in.release();
            return;
        }
        buffered = buffered == null ? in : ByteToMessageDecoder.MERGE_CUMULATOR.cumulate(ctx.alloc(), buffered, in);
        emitFrames(ctx);
    }

    private void emitFrames(ChannelHandlerContext ctx) {
        while (!done && waiting == null && buffered != null) {
            if (frameSize == NO_FRAME) {
                if (buffered.readableBytes() < Integer.BYTES) {
                    break;
                }
                int size = buffered.readInt();
                if (size < 0 || size > maxFrameBytes) {
                    log.warn("Closing connection from {}: request size {} is outside 0..{} ({})",
                        ctx.channel().remoteAddress(), size, maxFrameBytes, maxFrameBytesKey);
                    close(ctx);
                    return;
                }
                frameSize = size;
            }
            if (!frameReserved) {
                if (!memory.tryReserve(frameSize)) {
                    waiting = new FrameReservation(ctx, frameSize);
                    pauses.set(ctx.channel(), ReadPauses.MEMORY, true);
                    memory.enqueue(waiting);
                    break;
                }
                frameReserved = true;
            }
            if (buffered.readableBytes() < frameSize) {
                break;
            }
            RequestFrame frame = new RequestFrame(buffered.readRetainedSlice(frameSize), memory);
            frameSize = NO_FRAME;
            frameReserved = false;
            ctx.fireChannelRead(frame);
        }
        if (buffered != null && !buffered.isReadable()) {
            buffered.release();
            buffered = null;
        }
    }

    /** Runs on the event loop once a waiting reservation holds its bytes: reading resumes with the waiting frame. */
    private void onGranted(ChannelHandlerContext ctx, FrameReservation reservation) {
        if (done || waiting != reservation) {
            memory.release(reservation.bytes);
            return;
        }
        waiting = null;
        frameReserved = true;
        pauses.set(ctx.channel(), ReadPauses.MEMORY, false);
        emitFrames(ctx);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        close(ctx);
        super.channelInactive(ctx);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        releaseAll();
    }

    private void close(ChannelHandlerContext ctx) {
        releaseAll();
        ctx.close();
    }

    /** Drops buffered bytes and returns the memory of a frame that will never be complete; idempotent. */
    private void releaseAll() {
        done = true;
        if (buffered != null) {
            buffered.release();
            buffered = null;
        }
        if (frameReserved) {
            frameReserved = false;
            memory.release(frameSize);
        }
        if (waiting != null && waiting.cancel()) {
            waiting = null; // a reservation granted meanwhile is returned by onGranted
        }
    }

    /** A frame's reservation; a grant made on another thread is handed to the connection's event loop. */
    private final class FrameReservation extends RequestMemoryPool.Reservation {
        private final ChannelHandlerContext ctx;

        FrameReservation(ChannelHandlerContext ctx, int bytes) {
            super(bytes);
            this.ctx = ctx;
        }

        @Override
        void granted() {
            EventLoop loop = ctx.channel().eventLoop();
            try {
                loop.execute(() -> onGranted(ctx, this));
            } catch (RejectedExecutionException e) {
                memory.release(bytes); // the server is shutting down
            }
        }
    }
}
