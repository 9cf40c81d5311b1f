package io.runnel.http;

import java.net.InetSocketAddress;

/** One listener of an HTTP service: where it binds and whether it speaks TLS ({@code https://}). */
public record HttpListener(String host, int port, boolean tls) {
    /** A plain {@code http://} listener. */
    public static HttpListener plain(InetSocketAddress address) {
        return new HttpListener(address.getHostString(), address.getPort(), false);
    }

    /** The listener's URL with the port it bound (the real one when it asked for port 0). */
    public String url(int boundPort) {
        return (tls ? "https://" : "http://") + host + ":" + boundPort;
    }
}
