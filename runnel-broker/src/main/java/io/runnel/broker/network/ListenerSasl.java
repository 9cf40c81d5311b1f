package io.runnel.broker.network;

import javax.security.sasl.SaslServer;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * How a SASL listener authenticates: the mechanisms it offers, in the order SaslHandshake lists them, a new server
 * of each per authentication, the largest frame a client may send before it has authenticated
 * ({@code sasl.server.max.receive.size}), and each mechanism's {@code connections.max.reauth.ms} (0: sessions do
 * not end).
 */
public record ListenerSasl(List<String> mechanisms, Map<String, Supplier<SaslServer>> servers, int maxReceiveBytes,
                           Map<String, Long> maxReauthMs) {
    public ListenerSasl {
        mechanisms = List.copyOf(mechanisms);
        servers = Map.copyOf(servers);
        maxReauthMs = Map.copyOf(maxReauthMs);
    }

    long maxReauthMs(String mechanism) {
        return maxReauthMs.getOrDefault(mechanism, 0L);
    }

    SaslServer newServer(String mechanism) {
        return servers.get(mechanism).get();
    }
}
