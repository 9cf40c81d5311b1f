package io.runnel.broker.config;

import io.runnel.broker.network.ListenerSpec;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.security.auth.SecurityProtocol;

import java.util.List;

/**
 * Start-up refuses the security settings Runnel cannot honour, rather than run with less protection than the
 * configuration asks for: a controller listener with SASL (the metadata quorum's transport, Apache Ratis, has TLS
 * but no SASL), which would otherwise accept peers without credentials, and an authorizer other than Kafka's
 * StandardAuthorizer, the one Runnel provides.
 */
final class SecurityChecks {
    private SecurityChecks() {
    }

    static void checkProtocolsProvided(List<ListenerSpec> listeners, List<String> controllerListenerNames) {
        for (ListenerSpec l : listeners) {
            if ((l.protocol() == SecurityProtocol.SASL_PLAINTEXT || l.protocol() == SecurityProtocol.SASL_SSL)
                    && controllerListenerNames.contains(l.name())) {
                throw new ConfigException(BrokerConfigDef.LISTENERS, l.name() + "://" + l.host() + ":" + l.port(),
                        "listener " + l.name() + " is mapped to security protocol " + l.protocol().name + " in "
                        + BrokerConfigDef.LISTENER_SECURITY_PROTOCOL_MAP + ", which needs SASL on a controller listener ("
                        + BrokerConfigDef.CONTROLLER_LISTENER_NAMES + "): the metadata quorum's Raft transport has no"
                        + " SASL, so Runnel refuses to start rather than accept controllers without credentials; map it"
                        + " to SSL with ssl.client.auth=required (controllers then prove themselves with certificates)");
            }
        }
    }

    /** Whether {@code authorizer.class.name} turns the ACL authorizer on: Kafka's StandardAuthorizer, or none. */
    static boolean authorizerEnabled(String authorizerClassName) {
        String name = authorizerClassName.trim();
        if (name.isEmpty()) {
            return false;
        }
        if (!name.equals(STANDARD_AUTHORIZER)) {
            throw new ConfigException(BrokerConfigDef.AUTHORIZER_CLASS_NAME, authorizerClassName, "Runnel's authorizer"
                    + " is Kafka's " + STANDARD_AUTHORIZER + " (ACLs in the metadata log); no other class is supported");
        }
        return true;
    }

    /** Kafka's KRaft authorizer, whose ACL semantics Runnel's authorizer has. */
    static final String STANDARD_AUTHORIZER = "org.apache.kafka.metadata.authorizer.StandardAuthorizer";
}
