package io.runnel.broker.config;

import io.runnel.broker.network.ListenerSpec;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.security.auth.SecurityProtocol;

import java.util.List;

/**
 * Start-up refuses the security settings Runnel cannot honour yet, rather than run with less protection than the
 * configuration asks for: a listener whose security protocol needs SASL, a controller listener with TLS (the
 * metadata quorum's transport is plain Raft traffic), either of which would otherwise accept peers in plain text or
 * without credentials, and an authorizer, without which every client could perform every operation.
 */
final class SecurityChecks {
    private SecurityChecks() {
    }

    static void checkProtocolsProvided(List<ListenerSpec> listeners, List<String> controllerListenerNames) {
        for (ListenerSpec l : listeners) {
            boolean provided = l.protocol() == SecurityProtocol.PLAINTEXT
                    || l.protocol() == SecurityProtocol.SSL && !controllerListenerNames.contains(l.name());
            if (!provided) {
                String value = l.name() + "://" + l.host() + ":" + l.port();
                throw new ConfigException(BrokerConfigDef.LISTENERS, value, "listener " + l.name()
                        + " is mapped to security protocol " + l.protocol().name + " in "
                        + BrokerConfigDef.LISTENER_SECURITY_PROTOCOL_MAP + ", which needs " + missing(l.protocol())
                        + ", not supported by Runnel yet; it refuses to start rather than serve this listener as"
                        + " PLAINTEXT (unencrypted, no client authentication)");
            }
        }
    }

    static void checkNoAuthorizer(String authorizerClassName) {
        if (!authorizerClassName.isBlank()) {
            throw new ConfigException(BrokerConfigDef.AUTHORIZER_CLASS_NAME, authorizerClassName, "Runnel has no "
                    + "authorizer yet; it refuses to start rather than let every client perform every operation");
        }
    }

    private static String missing(SecurityProtocol protocol) {
        return protocol == SecurityProtocol.SSL
                ? "TLS on a controller listener (" + BrokerConfigDef.CONTROLLER_LISTENER_NAMES + ")"
                : "SASL authentication";
    }
}
