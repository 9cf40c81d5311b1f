package io.runnel.http;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** An HTTP service's listeners as Confluent's {@code listeners} writes them: {@code http://host:port}, one or more. */
public final class HttpListeners {
    private static final Pattern LISTENER = Pattern.compile("(?i)http://(\\[[^]]+]|[^:/\\[\\]]*):(\\d{1,5})/?");

    private HttpListeners() {
    }

    /** A comma-separated value of {@code key}. */
    public static List<InetSocketAddress> parse(String key, String value) {
        return parse(key, List.of(value.split(",")));
    }

    /**
     * The entries of {@code key}, each {@code http://host:port} (an empty host binds every interface); a wrong one is
     * an {@link IllegalArgumentException} naming the key, the value and the rule.
     */
    public static List<InetSocketAddress> parse(String key, List<String> values) {
        List<InetSocketAddress> addresses = new ArrayList<>();
        for (String listener : values) {
            Matcher m = LISTENER.matcher(listener.trim());
            int port = m.matches() ? Integer.parseInt(m.group(2)) : -1;
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException(key + "=" + String.join(",", values) + ": '" + listener.trim()
                        + "' must have the form http://host:port (port 0 to 65535)");
            }
            String host = m.group(1).isEmpty() ? "0.0.0.0" : m.group(1).replaceAll("^\\[|]$", "");
            addresses.add(new InetSocketAddress(host, port));
        }
        return addresses;
    }
}
