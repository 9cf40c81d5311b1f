package io.runnel.broker.config;

import io.runnel.broker.network.ListenerSpec;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.security.auth.SecurityProtocol;

import java.util.List;

/**
 * Start-up refuses the security settings Runnel cannot honour yet, rather than run with less protection than the
 * configuration asks for: a listener (broker or controller) whose security protocol needs TLS or SASL, which would
 * otherwise accept clients in plain text and without credentials, and an authorizer, without which every client
 * could perform every operation.
 */
final class SecurityChecks {
    private SecurityChecks() {
    }

    static void checkProtocolsProvided(List<ListenerSpec> listeners) {
        for (ListenerSpec l : listeners) {
            if (l.protocol() != SecurityProtocol.PLAINTEXT) {
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
        switch (protocol) {
            case SSL:
                return "TLS";
            case SASL_PLAINTEXT:
                return "SASL authentication";
            default:
                return "TLS and SASL authentication";
        }
    }
}
