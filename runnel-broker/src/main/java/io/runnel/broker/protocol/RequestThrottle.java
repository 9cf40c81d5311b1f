package io.runnel.broker.protocol;

/**
 * How long a request's connection stops being read once its response is written (Kafka mutes a client over its
 * quota for the throttle time its response announces); set by the handler, read by the network layer.
 */
public final class RequestThrottle {
    private volatile int ms;

    /** Mutes the connection for at least {@code ms} after the response. */
    public void throttleFor(int ms) {
        if (ms > this.ms) {
            this.ms = ms;
        }
    }

    public int ms() {
        return ms;
    }
}
