package io.runnel.broker.network;

import io.netty.channel.IoHandle;
import io.netty.channel.IoHandler;
import io.netty.channel.IoHandlerContext;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.IoRegistration;
import io.netty.util.concurrent.ThreadAwareExecutor;

import java.util.concurrent.atomic.LongAdder;

/**
 * Netty's I/O handlers (epoll or NIO), each adding up how long its event loop waits for I/O: the time of each
 * {@code run} (a wait in epoll_wait / select, then the ready events' processing) less the processing time Netty reports
 * through {@link IoHandlerContext#reportActiveIoTime}. What is left of a loop's wall time is work: reading, decoding
 * and handling requests, writing responses, and the tasks the loop runs between waits. Two clock reads per loop
 * iteration, never per request; no lock.
 */
final class IdleTimingIoHandlerFactory implements IoHandlerFactory {
    private final IoHandlerFactory delegate;
    private final LongAdder idleNanos = new LongAdder();

    IdleTimingIoHandlerFactory(IoHandlerFactory delegate) {
        this.delegate = delegate;
    }

    /** Nanoseconds all loops have waited for I/O, in total. */
    long idleNanos() {
        return idleNanos.sum();
    }

    @Override
    public IoHandler newHandler(ThreadAwareExecutor executor) {
        return new IdleTimingIoHandler(delegate.newHandler(executor));
    }

    @Override
    public boolean isChangingThreadSupported() {
        return delegate.isChangingThreadSupported();
    }

    /** Its own context for the handler it wraps, so that each run allocates nothing; used by its loop's thread only. */
    private final class IdleTimingIoHandler implements IoHandler, IoHandlerContext {
        private final IoHandler handler;
        private IoHandlerContext context;
        private long activeNanos;

        IdleTimingIoHandler(IoHandler handler) {
            this.handler = handler;
        }

        @Override
        public int run(IoHandlerContext loopContext) {
            context = loopContext;
            activeNanos = 0;
            long start = System.nanoTime();
            int handled = handler.run(this);
            idleNanos.add(Math.max(0, System.nanoTime() - start - activeNanos));
            return handled;
        }

        @Override
        public boolean canBlock() {
            return context.canBlock();
        }

        @Override
        public long delayNanos(long currentTimeNanos) {
            return context.delayNanos(currentTimeNanos);
        }

        @Override
        public long deadlineNanos() {
            return context.deadlineNanos();
        }

        @Override
        public boolean shouldReportActiveIoTime() {
            return true;
        }

        @Override
        public void reportActiveIoTime(long nanos) {
            activeNanos += nanos;
            if (context.shouldReportActiveIoTime()) {
                context.reportActiveIoTime(nanos);
            }
        }

        @Override
        public void initialize() {
            handler.initialize();
        }

        @Override
        public void prepareToDestroy() {
            handler.prepareToDestroy();
        }

        @Override
        public void destroy() {
            handler.destroy();
        }

        @Override
        public IoRegistration register(IoHandle handle) throws Exception {
            return handler.register(handle);
        }

        @Override
        public void wakeup() {
            handler.wakeup();
        }

        @Override
        public boolean isCompatible(Class<? extends IoHandle> handleType) {
            return handler.isCompatible(handleType);
        }
    }
}
