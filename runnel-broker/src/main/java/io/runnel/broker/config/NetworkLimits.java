package io.runnel.broker.config;

import io.runnel.broker.network.ConnectionLimits;
import io.runnel.broker.network.ListenerSpec;
import org.apache.kafka.common.config.ConfigException;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The keys that bound what clients can make a broker hold: queued.max.request.bytes and the connection limits,
 * with Kafka's rules. {@code listener.name.<listener>.max.connections} keys (the listener name in lower case, as
 * Kafka normalises it) are read from the supplied properties for each broker listener.
 */
final class NetworkLimits {
    static final String QUEUED_MAX_REQUEST_BYTES = "queued.max.request.bytes";
    static final String MAX_CONNECTIONS = "max.connections";
    static final String MAX_CONNECTIONS_PER_IP = "max.connections.per.ip";
    static final String MAX_CONNECTIONS_PER_IP_OVERRIDES = "max.connections.per.ip.overrides";
    /** Without queued.max.request.bytes, request memory is bounded to this share of the heap. */
    static final int DEFAULT_HEAP_SHARE_DIVISOR = 4;

    private NetworkLimits() {
    }

    /** Whether {@code key} is a listener's max.connections, understood though not in the ConfigDef. */
    static boolean isListenerMaxConnectionsKey(String key) {
        return key.startsWith("listener.name.") && key.endsWith("." + MAX_CONNECTIONS);
    }

    static String listenerMaxConnectionsKey(String listenerName) {
        return "listener.name." + listenerName.toLowerCase(Locale.ROOT) + "." + MAX_CONNECTIONS;
    }

    /**
     * The bound on request bytes in flight: the explicit value (not positive: none, as in Kafka; otherwise at least
     * socket.request.max.bytes, or the largest request could never be read), else a quarter of the maximum heap but
     * at least socket.request.max.bytes.
     */
    static long queuedMaxRequestBytes(Long explicit, int socketRequestMaxBytes, long maxHeapBytes) {
        if (explicit == null) {
            return Math.max(socketRequestMaxBytes, maxHeapBytes / DEFAULT_HEAP_SHARE_DIVISOR);
        }
        if (explicit > 0 && explicit < socketRequestMaxBytes) {
            throw new ConfigException(QUEUED_MAX_REQUEST_BYTES, explicit, "must be at least "
                    + BrokerConfigDef.SOCKET_REQUEST_MAX_BYTES + " (" + socketRequestMaxBytes + "), or -1 for no bound");
        }
        return explicit;
    }

    static ConnectionLimits connectionLimits(int maxConnections, int maxConnectionsPerIp, String overrides,
                                             Map<String, String> props, List<ListenerSpec> brokerListeners,
                                             String interBrokerListenerName) {
        Map<InetAddress, Integer> perIpOverrides = parseOverrides(overrides);
        if (maxConnectionsPerIp == 0 && perIpOverrides.isEmpty()) {
            throw new ConfigException(MAX_CONNECTIONS_PER_IP, 0, "can be set to zero only if "
                    + MAX_CONNECTIONS_PER_IP_OVERRIDES + " is set");
        }
        Map<String, Integer> perListener = new LinkedHashMap<>();
        for (ListenerSpec listener : brokerListeners) {
            String key = listenerMaxConnectionsKey(listener.name());
            String value = props.get(key);
            if (value != null) {
                perListener.put(listener.name(), nonNegativeInt(key, value.trim(), value));
            }
        }
        return new ConnectionLimits(maxConnections, perListener, maxConnectionsPerIp, perIpOverrides,
                interBrokerListenerName);
    }

    /** {@code host:count,host:count}; an IPv6 address keeps its colons (the count follows the last one). */
    private static Map<InetAddress, Integer> parseOverrides(String value) {
        Map<InetAddress, Integer> overrides = new LinkedHashMap<>();
        for (String entry : value.split(",")) {
            String trimmed = entry.trim();
            if (trimmed.isEmpty()) {
                continue;
            }
            int colon = trimmed.lastIndexOf(':');
            if (colon <= 0) {
                throw new ConfigException(MAX_CONNECTIONS_PER_IP_OVERRIDES, value,
                        "each entry must be host:count, not '" + trimmed + "'");
            }
            String host = trimmed.substring(0, colon).trim();
            int count = nonNegativeInt(MAX_CONNECTIONS_PER_IP_OVERRIDES, trimmed.substring(colon + 1).trim(), value);
            try {
                overrides.put(InetAddress.getByName(host), count);
            } catch (UnknownHostException e) {
                throw new ConfigException(MAX_CONNECTIONS_PER_IP_OVERRIDES, value, "host " + host + " cannot be resolved");
            }
        }
        return overrides;
    }

    private static int nonNegativeInt(String key, String number, String value) {
        try {
            int parsed = Integer.parseInt(number);
            if (parsed >= 0) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new ConfigException(key, value, "the connection count '" + number + "' must be an integer of at least 0");
    }
}
