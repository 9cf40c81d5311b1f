package io.runnel.http;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;

/**
 * How an HTTP service is reached: its listeners, the TLS of its {@code https://} ones (null when it has none) and the
 * basic authentication it asks for (null for none).
 */
public record HttpEndpoints(List<HttpListener> listeners, HttpTls tls, BasicAuth auth) {
    public HttpEndpoints {
        listeners = List.copyOf(listeners);
    }

    /** Plain {@code http://} listeners without authentication. */
    public static HttpEndpoints plain(List<InetSocketAddress> addresses) {
        return new HttpEndpoints(addresses.stream().map(HttpListener::plain).toList(), null, null);
    }

    /**
     * From {@code properties} under {@code prefix} ("" for a service's own file, "schema.registry." inside a
     * broker's): {@code listeners} ({@code defaultListeners} when absent), the {@code ssl.*} settings when a listener
     * is {@code https://}, and {@code authentication.*} when {@code realm} is not null (the default realm). A wrong
     * setting is an {@link IllegalArgumentException} naming its key.
     */
    public static HttpEndpoints parse(String prefix, Map<String, String> properties, String defaultListeners,
                                      String realm) {
        String value = properties.getOrDefault(prefix + "listeners", defaultListeners);
        List<HttpListener> listeners = value.isBlank() ? List.of() : HttpListeners.parse(prefix + "listeners", value);
        HttpTls tls = listeners.stream().anyMatch(HttpListener::tls) ? HttpTls.parse(prefix, properties) : null;
        return new HttpEndpoints(listeners, tls, realm == null ? null : BasicAuth.parse(prefix, properties, realm));
    }

    /** The URL of the {@code index}th listener, which bound {@code boundPort}. */
    public String url(int index, int boundPort) {
        return listeners.get(index).url(boundPort);
    }
}
