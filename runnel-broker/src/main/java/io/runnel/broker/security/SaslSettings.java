package io.runnel.broker.security;

import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.config.internals.BrokerSecurityConfigs;
import org.apache.kafka.common.config.types.Password;
import org.apache.kafka.common.network.ListenerName;
import org.apache.kafka.common.security.JaasContext;
import org.apache.kafka.common.security.plain.PlainLoginModule;

import javax.security.auth.login.AppConfigurationEntry;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The SASL settings of one listener, with Kafka's keys: {@code sasl.enabled.mechanisms} (Kafka's default, GSSAPI,
 * is refused: Runnel has no Kerberos), {@code sasl.server.max.receive.size}, and PLAIN's JAAS configuration (its
 * users; SCRAM's are in the metadata log) as Kafka writes it, read from
 * {@code listener.name.<listener>.plain.sasl.jaas.config}, else {@code plain.sasl.jaas.config}, else
 * {@code sasl.jaas.config}. Each key may be given for one listener as
 * {@code listener.name.<listener>.<key>} (the listener name in lower case), which wins.
 */
public final class SaslSettings {
    public static final String PLAIN = "PLAIN";
    /** The mechanisms Runnel serves. */
    public static final List<String> SUPPORTED_MECHANISMS = List.of(PLAIN, "SCRAM-SHA-256", "SCRAM-SHA-512");
    private static final String LISTENER_PREFIX = "listener.name.";

    private final String listenerName;
    private final List<String> mechanisms;
    private final int maxReceiveBytes;
    /** Each enabled mechanism's JAAS login module entries; absent for a mechanism configured without one. */
    private final Map<String, List<AppConfigurationEntry>> jaasEntries = new LinkedHashMap<>();

    private SaslSettings(Map<String, String> props, String listenerName) {
        this.listenerName = listenerName;
        ListenerName listener = ListenerName.normalised(listenerName);
        String mechanismsKey = written(props, listener, BrokerSecurityConfigs.SASL_ENABLED_MECHANISMS_CONFIG);
        String mechanismsValue = props.getOrDefault(mechanismsKey,
                String.join(",", BrokerSecurityConfigs.DEFAULT_SASL_ENABLED_MECHANISMS));
        this.mechanisms = Arrays.stream(mechanismsValue.split(",")).map(String::trim).filter(m -> !m.isEmpty()).toList();
        if (mechanisms.isEmpty()) {
            throw new ConfigException(mechanismsKey, mechanismsValue, "listener " + listenerName
                    + " needs at least one SASL mechanism, one of " + SUPPORTED_MECHANISMS);
        }
        for (String mechanism : mechanisms) {
            if (!SUPPORTED_MECHANISMS.contains(mechanism)) {
                throw new ConfigException(mechanismsKey, mechanismsValue, "SASL mechanism " + mechanism
                        + " is not supported by Runnel; the supported mechanisms are " + SUPPORTED_MECHANISMS);
            }
            if (mechanism.equals(PLAIN)) {
                readJaasConfig(props, listener, mechanism);
            }
        }
        String maxKey = written(props, listener, BrokerSecurityConfigs.SASL_SERVER_MAX_RECEIVE_SIZE_CONFIG);
        this.maxReceiveBytes = maxReceiveSize(maxKey, props.get(maxKey));
    }

    /** The settings of {@code listenerName} in {@code props}, validated. */
    public static SaslSettings forListener(Map<String, String> props, String listenerName) {
        return new SaslSettings(props, listenerName);
    }

    /**
     * Whether the key is one of these settings, directly, as a mechanism's ({@code plain.sasl.jaas.config}) or as a
     * listener's override.
     */
    public static boolean isSaslKey(String key) {
        String base = key.startsWith(LISTENER_PREFIX) && key.indexOf('.', LISTENER_PREFIX.length()) > 0
                ? key.substring(key.indexOf('.', LISTENER_PREFIX.length()) + 1) : key;
        return base.equals(BrokerSecurityConfigs.SASL_ENABLED_MECHANISMS_CONFIG)
                || base.equals(BrokerSecurityConfigs.SASL_SERVER_MAX_RECEIVE_SIZE_CONFIG)
                || base.endsWith(SaslConfigs.SASL_JAAS_CONFIG);
    }

    public String listenerName() {
        return listenerName;
    }

    /** The enabled mechanisms, in the order configured (as SaslHandshake lists them). */
    public List<String> mechanisms() {
        return mechanisms;
    }

    /** The largest SASL frame accepted before a connection has authenticated. */
    public int maxReceiveBytes() {
        return maxReceiveBytes;
    }

    /** The login module entries of the mechanism's JAAS configuration. */
    public List<AppConfigurationEntry> jaasEntries(String mechanism) {
        return jaasEntries.getOrDefault(mechanism, List.of());
    }

    private void readJaasConfig(Map<String, String> props, ListenerName listener, String mechanism) {
        String mechanismPrefix = ListenerName.saslMechanismPrefix(mechanism);
        String key = listener.saslMechanismConfigPrefix(mechanism) + SaslConfigs.SASL_JAAS_CONFIG;
        if (!props.containsKey(key)) {
            key = props.containsKey(mechanismPrefix + SaslConfigs.SASL_JAAS_CONFIG)
                    ? mechanismPrefix + SaslConfigs.SASL_JAAS_CONFIG : SaslConfigs.SASL_JAAS_CONFIG;
        }
        String value = props.get(key);
        if (value == null || value.isBlank()) {
            throw new ConfigException(listener.saslMechanismConfigPrefix(mechanism) + SaslConfigs.SASL_JAAS_CONFIG,
                    null, "listener " + listenerName + " enables SASL mechanism " + mechanism + " and needs its JAAS "
                    + "configuration, e.g. " + PlainLoginModule.class.getName() + " required user_alice=\"alice-secret\";");
        }
        List<AppConfigurationEntry> entries;
        try {
            // JaasContext reads the mechanism's key of a listener's settings; the value is handed over under it.
            String contextKey = mechanismPrefix + SaslConfigs.SASL_JAAS_CONFIG;
            entries = JaasContext.loadServerContext(listener, mechanism, Map.of(contextKey, new Password(value)))
                    .configurationEntries();
        } catch (IllegalArgumentException e) {
            throw new ConfigException(key, Password.HIDDEN, "not a JAAS configuration: " + e.getMessage());
        }
        String loginModule = PlainLoginModule.class.getName();
        if (entries.size() != 1 || !entries.get(0).getLoginModuleName().equals(loginModule)) {
            throw new ConfigException(key, Password.HIDDEN, "SASL mechanism " + mechanism + " takes one login module, "
                    + loginModule + ", not " + entries.stream().map(AppConfigurationEntry::getLoginModuleName).toList());
        }
        jaasEntries.put(mechanism, entries);
    }

    private static String written(Map<String, String> props, ListenerName listener, String key) {
        return props.containsKey(listener.configPrefix() + key) ? listener.configPrefix() + key : key;
    }

    private static int maxReceiveSize(String key, String value) {
        if (value == null) {
            return BrokerSecurityConfigs.DEFAULT_SASL_SERVER_MAX_RECEIVE_SIZE;
        }
        try {
            int size = Integer.parseInt(value.trim());
            if (size > 0) {
                return size;
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw new ConfigException(key, value, "must be a positive number of bytes");
    }

    @Override
    public String toString() {
        return listenerName + " " + mechanisms;
    }
}
