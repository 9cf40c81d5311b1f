package io.runnel.broker.network;

/**
 * The broker's socket settings, as Kafka names them: {@code socket.request.max.bytes}, {@code num.network.threads},
 * {@code socket.send.buffer.bytes} / {@code socket.receive.buffer.bytes} (the OS default when not positive),
 * {@code connections.max.idle.ms} (never closed when not positive), and the bound on requests awaiting their
 * response per connection.
 */
public record NetworkConfig(int socketRequestMaxBytes, int numNetworkThreads, int socketSendBufferBytes,
                            int socketReceiveBufferBytes, long connectionsMaxIdleMs, int maxInFlightRequestsPerConnection) {
}
