package io.runnel.metadata;

/** One listener a broker advertises. */
public record Endpoint(String listenerName, String host, int port, String securityProtocol) {
}
