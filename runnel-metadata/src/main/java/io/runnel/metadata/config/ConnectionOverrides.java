package io.runnel.metadata.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;

/**
 * Kafka's {@code max.connections.per.ip.overrides}, {@code host:count,host:count}, read the same way at start-up
 * and when it changes at run time. An IPv6 address keeps its colons (the count follows the last one).
 */
public final class ConnectionOverrides {
    public static final String KEY = "max.connections.per.ip.overrides";
    public static final String PER_IP_KEY = "max.connections.per.ip";

    private ConnectionOverrides() {
    }

    /** The count per address; a ConfigException names the key and value of a malformed entry or unknown host. */
    public static Map<InetAddress, Integer> parse(String value) {
        Map<InetAddress, Integer> overrides = new LinkedHashMap<>();
        for (String entry : value.split(",")) {
            String trimmed = entry.trim();
            if (trimmed.isEmpty()) {
                continue;
            }
            int colon = trimmed.lastIndexOf(':');
            if (colon <= 0) {
                throw new ConfigException(KEY, value, "each entry must be host:count, not '" + trimmed + "'");
            }
            String host = trimmed.substring(0, colon).trim();
            int count = nonNegativeInt(KEY, trimmed.substring(colon + 1).trim(), value);
            try {
                overrides.put(InetAddress.getByName(host), count);
            } catch (UnknownHostException e) {
                throw new ConfigException(KEY, value, "host " + host + " cannot be resolved");
            }
        }
        return overrides;
    }

    /** Kafka's rule: {@code max.connections.per.ip} may be 0 only if overrides admit some addresses. */
    public static void checkPerIpLimit(int maxConnectionsPerIp, Map<InetAddress, Integer> overrides) {
        if (maxConnectionsPerIp == 0 && overrides.isEmpty()) {
            throw new ConfigException(PER_IP_KEY, 0, "can be set to zero only if " + KEY + " is set");
        }
    }

    /** {@code number} as a connection count of at least 0; a ConfigException names the key and whole value. */
    public static int nonNegativeInt(String key, String number, String value) {
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
