package io.runnel.broker.network;

import io.netty.buffer.ByteBuf;
import io.netty.util.AbstractReferenceCounted;

/**
 * One request frame (without its size prefix) and the request memory reserved for it: releasing the frame returns
 * both the buffer and the reservation, exactly once, whichever path releases it.
 */
final class RequestFrame extends AbstractReferenceCounted {
    private final ByteBuf buffer;
    private final int reservedBytes;
    private final RequestMemoryPool memory;

    RequestFrame(ByteBuf buffer, RequestMemoryPool memory) {
        this.buffer = buffer;
        this.reservedBytes = buffer.readableBytes();
        this.memory = memory;
    }

    ByteBuf buffer() {
        return buffer;
    }

    @Override
    protected void deallocate() {
        buffer.release();
        memory.release(reservedBytes);
    }

    @Override
    public RequestFrame touch(Object hint) {
        buffer.touch(hint);
        return this;
    }
}
