package io.runnel.broker.network;

/**
 * The broker's socket settings, as Kafka names them: {@code socket.request.max.bytes}, {@code num.network.threads},
 * {@code socket.send.buffer.bytes} / {@code socket.receive.buffer.bytes} (the OS default when not positive),
 * {@code connections.max.idle.ms} (never closed when not positive), the bound on requests awaiting their response
 * per connection ({@code queued.max.requests}), the bound on request bytes in flight across all connections
 * ({@code queued.max.request.bytes}, none when not positive) and the connection limits.
 */
public record NetworkConfig(int socketRequestMaxBytes, int numNetworkThreads, int socketSendBufferBytes,
                            int socketReceiveBufferBytes, long connectionsMaxIdleMs, int maxInFlightRequestsPerConnection,
                            long queuedMaxRequestBytes, ConnectionLimits connectionLimits) {
}
