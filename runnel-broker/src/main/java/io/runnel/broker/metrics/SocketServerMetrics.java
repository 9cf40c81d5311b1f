package io.runnel.broker.metrics;

import com.codahale.metrics.Meter;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Kafka's {@code kafka.server:type=socket-server-metrics,listener=<listener>,networkProcessor=<n>} of one listener on
 * one network thread (Netty event loop {@code n} of the broker's group): connection-count, connection-creation and
 * connection-close rates and totals, and the successful and failed authentications of the connections it serves
 * (a SASL exchange, or on an SSL listener without SASL the TLS handshake, as Kafka counts them; PLAINTEXT
 * connections are not authenticated and count neither). Counted per connection, never per request.
 */
public final class SocketServerMetrics {
    private final AtomicInteger connections = new AtomicInteger();
    private final Meter created;
    private final Meter closed;
    private final Meter authenticated;
    private final Meter failedAuthentication;

    public SocketServerMetrics(BrokerMetrics metrics, String listener, int networkProcessor) {
        KafkaMetricsBean bean = metrics.kafkaMetrics("kafka.server:type=socket-server-metrics,listener=" + listener
                + ",networkProcessor=" + networkProcessor);
        bean.number("connection-count", connections::get);
        this.created = bean.rateAndTotal("connection-creation");
        this.closed = bean.rateAndTotal("connection-close");
        this.authenticated = bean.rateAndTotal("successful-authentication");
        this.failedAuthentication = bean.rateAndTotal("failed-authentication");
    }

    public void connectionOpened() {
        connections.incrementAndGet();
        created.mark();
    }

    public void connectionClosed() {
        connections.decrementAndGet();
        closed.mark();
    }

    public void authenticated() {
        authenticated.mark();
    }

    public void authenticationFailed() {
        failedAuthentication.mark();
    }
}
