package io.runnel.tools;

import io.runnel.broker.RunnelServer;
import io.runnel.broker.config.BrokerConfig;
import io.runnel.broker.network.ListenerSpec;
import org.apache.kafka.common.security.auth.SecurityProtocol;

/** How the HTTP services {@code runnel server} runs beside its broker reach that broker: its PLAINTEXT listener. */
final class LocalBootstrap {
    private LocalBootstrap() {
    }

    /** host:port of the broker's first PLAINTEXT listener, null when it has none. */
    static String of(BrokerConfig config, RunnelServer server) {
        ListenerSpec listener = config.brokerListeners().stream()
                .filter(l -> l.protocol() == SecurityProtocol.PLAINTEXT).findFirst().orElse(null);
        if (listener == null) {
            return null;
        }
        String host = listener.host().isEmpty() ? "localhost" : listener.host();
        return host + ":" + server.boundPort(listener.name());
    }
}
