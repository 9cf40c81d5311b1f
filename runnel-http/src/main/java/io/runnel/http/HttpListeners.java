package io.runnel.http;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An HTTP service's listeners as Confluent's {@code listeners} writes them: {@code http://host:port} or
 * {@code https://host:port}, one or more.
 */
public final class HttpListeners {
    private static final Pattern LISTENER = Pattern.compile("(?i)(https?)://(\\[[^]]+]|[^:/\\[\\]]*):(\\d{1,5})/?");

    private HttpListeners() {
    }

    /** A comma-separated value of {@code key}. */
    public static List<HttpListener> parse(String key, String value) {
        return parse(key, List.of(value.split(",")));
    }

    /**
     * The entries of {@code key}, each {@code http://host:port} or {@code https://host:port} (an empty host binds
     * every interface); a wrong one is an {@link IllegalArgumentException} naming the key, the value and the rule.
     */
    public static List<HttpListener> parse(String key, List<String> values) {
        List<HttpListener> listeners = new ArrayList<>();
        for (String listener : values) {
            Matcher m = LISTENER.matcher(listener.trim());
            int port = m.matches() ? Integer.parseInt(m.group(3)) : -1;
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException(key + "=" + String.join(",", values) + ": '" + listener.trim()
                        + "' must have the form http://host:port or https://host:port (port 0 to 65535)");
            }
            String host = m.group(2).isEmpty() ? "0.0.0.0" : m.group(2).replaceAll("^\\[|]$", "");
            listeners.add(new HttpListener(host, port, m.group(1).equalsIgnoreCase("https")));
        }
        return listeners;
    }
}
