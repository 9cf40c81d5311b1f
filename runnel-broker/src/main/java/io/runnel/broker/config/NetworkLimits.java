package io.runnel.broker.config;

import io.runnel.broker.network.ConnectionLimits;
import io.runnel.broker.network.ListenerSpec;
import io.runnel.metadata.config.ConnectionOverrides;
import io.runnel.metadata.config.DynamicBrokerConfigDef;
import org.apache.kafka.common.config.ConfigException;

import java.net.InetAddress;
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
    static final String MAX_CONNECTIONS = DynamicBrokerConfigDef.MAX_CONNECTIONS;
    static final String MAX_CONNECTIONS_PER_IP = DynamicBrokerConfigDef.MAX_CONNECTIONS_PER_IP;
    static final String MAX_CONNECTIONS_PER_IP_OVERRIDES = DynamicBrokerConfigDef.MAX_CONNECTIONS_PER_IP_OVERRIDES;
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
        Map<InetAddress, Integer> perIpOverrides = ConnectionOverrides.parse(overrides);
        ConnectionOverrides.checkPerIpLimit(maxConnectionsPerIp, perIpOverrides);
        Map<String, Integer> perListener = new LinkedHashMap<>();
        for (ListenerSpec listener : brokerListeners) {
            String key = listenerMaxConnectionsKey(listener.name());
            String value = props.get(key);
            if (value != null) {
                perListener.put(listener.name(), ConnectionOverrides.nonNegativeInt(key, value.trim(), value));
            }
        }
        return new ConnectionLimits(maxConnections, perListener, maxConnectionsPerIp, perIpOverrides,
                interBrokerListenerName);
    }
}
