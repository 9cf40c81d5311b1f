package io.runnel.broker.security;

import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.config.internals.BrokerSecurityConfigs;

import javax.security.auth.login.AppConfigurationEntry;
import java.util.Map;

/**
 * How this broker logs in to the others when the inter-broker listener is SASL_PLAINTEXT or SASL_SSL, as Kafka's
 * broker does: with {@code sasl.mechanism.inter.broker.protocol} (which the listener must enable) and the
 * {@code username} / {@code password} options of that mechanism's JAAS login module on the inter-broker listener.
 */
public record InterBrokerSasl(String mechanism, String username, String password) {
    public static final String MECHANISM_KEY = BrokerSecurityConfigs.SASL_MECHANISM_INTER_BROKER_PROTOCOL_CONFIG;

    /** The login of {@code listener}, the inter-broker listener's SASL settings, validated. */
    public static InterBrokerSasl of(Map<String, String> props, SaslSettings listener) {
        String mechanism = props.getOrDefault(MECHANISM_KEY,
                SaslConfigs.DEFAULT_SASL_MECHANISM).trim();
        if (!listener.mechanisms().contains(mechanism)) {
            throw new ConfigException(MECHANISM_KEY, mechanism, "the inter-broker listener " + listener.listenerName()
                    + " enables " + listener.mechanisms() + "; brokers log in to each other with one of them"
                    + (mechanism.equals("GSSAPI") ? " (GSSAPI, Kafka's default, needs Kerberos, which Runnel has not)" : ""));
        }
        for (AppConfigurationEntry entry : listener.jaasEntries(mechanism)) {
            Object username = entry.getOptions().get("username");
            Object password = entry.getOptions().get("password");
            if (username instanceof String user && password instanceof String secret) {
                return new InterBrokerSasl(mechanism, user, secret);
            }
        }
        throw new ConfigException(MECHANISM_KEY, mechanism, "the inter-broker listener " + listener.listenerName()
                + " needs the broker's own login for " + mechanism + ": username=\"…\" password=\"…\" options in its"
                + " JAAS configuration (" + SaslSettings.jaasKey(listener.listenerName(), mechanism) + ")");
    }

    @Override
    public String toString() {
        return mechanism + " as " + username;
    }
}
