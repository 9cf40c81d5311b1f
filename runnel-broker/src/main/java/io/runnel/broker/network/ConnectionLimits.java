package io.runnel.broker.network;

import java.net.InetAddress;
import java.util.Map;

/**
 * Kafka's connection limits: {@code max.connections} broker-wide and per listener
 * ({@code listener.name.<l>.max.connections}, keyed by listener name), {@code max.connections.per.ip} and its
 * per-address overrides ({@code max.connections.per.ip.overrides}). Connections on {@code interBrokerListenerName}
 * are exempt from the broker-wide limit when the broker has more than one listener, as in Kafka.
 */
public record ConnectionLimits(int maxConnections, Map<String, Integer> maxConnectionsPerListener,
                               int maxConnectionsPerIp, Map<InetAddress, Integer> maxConnectionsPerIpOverrides,
                               String interBrokerListenerName) {
    public static final ConnectionLimits NONE =
        new ConnectionLimits(Integer.MAX_VALUE, Map.of(), Integer.MAX_VALUE, Map.of(), null);

    public ConnectionLimits {
        maxConnectionsPerListener = Map.copyOf(maxConnectionsPerListener);
        maxConnectionsPerIpOverrides = Map.copyOf(maxConnectionsPerIpOverrides);
    }

    int maxConnections(String listener) {
        return maxConnectionsPerListener.getOrDefault(listener, Integer.MAX_VALUE);
    }

    int maxConnectionsPerIp(InetAddress address) {
        return maxConnectionsPerIpOverrides.getOrDefault(address, maxConnectionsPerIp);
    }

    /** These limits with new broker-wide and per-address values; the listeners' own limits stay. */
    public ConnectionLimits withBrokerLimits(int maxConnections, int maxConnectionsPerIp,
                                             Map<InetAddress, Integer> maxConnectionsPerIpOverrides) {
        return new ConnectionLimits(maxConnections, maxConnectionsPerListener, maxConnectionsPerIp,
                maxConnectionsPerIpOverrides, interBrokerListenerName);
    }
}
