package io.runnel.broker.config;

import io.runnel.broker.network.ListenerSpec;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.security.auth.SecurityProtocol;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses Kafka's listener, protocol-map and voter notations. */
final class ListenerParser {
    // NAME://host:port, host empty (wildcard), a name or an IPv6 literal in brackets
    private static final Pattern LISTENER = Pattern.compile("^([A-Za-z0-9_.-]+)://(\\[[0-9a-fA-F:.%]+]|[^:\\[\\]/]*):(\\d+)$");
    private static final Pattern VOTER = Pattern.compile("^(\\d+)@(\\[[0-9a-fA-F:.%]+]|[^:\\[\\]@/]+):(\\d+)$");
    private static final Pattern HOST_PORT = Pattern.compile("^(\\[[0-9a-fA-F:.%]+]|[^:\\[\\]/]+):(\\d+)$");

    private ListenerParser() {
    }

    static Map<String, SecurityProtocol> protocolMap(String key, String value) {
        Map<String, SecurityProtocol> map = new LinkedHashMap<>();
        for (String entry : value.split(",")) {
            String trimmed = entry.trim();
            if (trimmed.isEmpty()) {
                continue;
            }
            int colon = trimmed.indexOf(':');
            if (colon <= 0 || colon == trimmed.length() - 1) {
                throw new ConfigException(key, value, "each entry must be LISTENER_NAME:SECURITY_PROTOCOL");
            }
            String protocolName = trimmed.substring(colon + 1).trim().toUpperCase(Locale.ROOT);
            if (!SecurityProtocol.names().contains(protocolName)) {
                throw new ConfigException(key, value, "unknown security protocol " + protocolName
                        + ", expected one of " + SecurityProtocol.names());
            }
            map.put(trimmed.substring(0, colon).trim().toUpperCase(Locale.ROOT), SecurityProtocol.forName(protocolName));
        }
        return map;
    }

    static List<ListenerSpec> listeners(String key, List<String> values, Map<String, SecurityProtocol> protocols) {
        List<ListenerSpec> result = new ArrayList<>(values.size());
        Set<String> names = new HashSet<>();
        for (String value : values) {
            Matcher m = LISTENER.matcher(value.trim());
            if (!m.matches()) {
                throw new ConfigException(key, String.join(",", values),
                        "listener '" + value + "' must have the form NAME://host:port");
            }
            String name = m.group(1).toUpperCase(Locale.ROOT);
            SecurityProtocol protocol = protocols.get(name);
            if (protocol == null) {
                throw new ConfigException(key, String.join(",", values), "listener name " + name
                        + " is not defined in " + BrokerConfigDef.LISTENER_SECURITY_PROTOCOL_MAP);
            }
            if (!names.add(name)) {
                throw new ConfigException(key, String.join(",", values), "each listener name must appear only once, "
                        + name + " is repeated");
            }
            result.add(new ListenerSpec(name, unbracket(m.group(2)), port(key, values, m.group(3)), protocol));
        }
        return result;
    }

    static Map<Integer, InetSocketAddress> voters(String key, List<String> values) {
        Map<Integer, InetSocketAddress> voters = new LinkedHashMap<>();
        for (String value : values) {
            Matcher m = VOTER.matcher(value.trim());
            if (!m.matches()) {
                throw new ConfigException(key, String.join(",", values),
                        "voter '" + value + "' must have the form id@host:port");
            }
            int id = parseInt(key, values, m.group(1));
            if (voters.put(id, new InetSocketAddress(unbracket(m.group(2)), port(key, values, m.group(3)))) != null) {
                throw new ConfigException(key, String.join(",", values), "voter id " + id + " appears twice");
            }
        }
        return voters;
    }

    static void checkHostPorts(String key, List<String> values) {
        for (String value : values) {
            hostPort(key, values, value);
        }
    }

    /** {@code value}, one of the entries of {@code key}, as host:port. */
    static InetSocketAddress hostPort(String key, List<String> values, String value) {
        Matcher m = HOST_PORT.matcher(value.trim());
        if (!m.matches()) {
            throw new ConfigException(key, String.join(",", values), "'" + value + "' must have the form host:port");
        }
        return new InetSocketAddress(unbracket(m.group(1)), port(key, values, m.group(2)));
    }

    private static String unbracket(String host) {
        return host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
    }

    private static int port(String key, List<String> values, String digits) {
        int port = parseInt(key, values, digits);
        if (port > 65535) {
            throw new ConfigException(key, String.join(",", values), "port " + digits + " must be between 0 and 65535");
        }
        return port;
    }

    private static int parseInt(String key, List<String> values, String digits) {
        try {
            return Integer.parseInt(digits);
        } catch (NumberFormatException e) {
            throw new ConfigException(key, String.join(",", values), digits + " is not a valid integer");
        }
    }
}
