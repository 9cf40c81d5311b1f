package io.runnel.broker.security;

import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.config.internals.BrokerSecurityConfigs;
import org.apache.kafka.common.config.types.Password;
import org.apache.kafka.common.network.ListenerName;
import org.apache.kafka.common.security.JaasContext;
import org.apache.kafka.common.security.plain.PlainLoginModule;
import org.apache.kafka.common.security.scram.ScramLoginModule;

import javax.security.auth.login.AppConfigurationEntry;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The SASL settings of one listener, with Kafka's keys: {@code sasl.enabled.mechanisms} (Kafka's default, GSSAPI,
 * is refused: Runnel has no Kerberos), {@code sasl.server.max.receive.size}, and each mechanism's JAAS
 * configuration as Kafka writes it, read from {@code listener.name.<listener>.<mechanism>.sasl.jaas.config}, else
 * {@code <mechanism>.sasl.jaas.config}, else {@code sasl.jaas.config}, else the JAAS file's {@code KafkaServer}
 * section. Each key may be given for one listener as
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
            readJaasConfig(props, listener, mechanism);
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
                || key.equals(InterBrokerSasl.MECHANISM_KEY)
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

    /**
     * The listener's JAAS configuration for the mechanism: its key's value, else the {@code KafkaServer} section
     * (or {@code <listener>.KafkaServer}) of the file named by {@code java.security.auth.login.config}, as Kafka
     * reads it; only the mechanism's login module counts. PLAIN needs one (its users); SCRAM's users are in the
     * metadata log and its entry holds only the broker's own login, for the inter-broker listener.
     */
    private void readJaasConfig(Map<String, String> props, ListenerName listener, String mechanism) {
        String mechanismPrefix = ListenerName.saslMechanismPrefix(mechanism);
        String key = listener.saslMechanismConfigPrefix(mechanism) + SaslConfigs.SASL_JAAS_CONFIG;
        if (!props.containsKey(key)) {
            key = props.containsKey(mechanismPrefix + SaslConfigs.SASL_JAAS_CONFIG)
                    ? mechanismPrefix + SaslConfigs.SASL_JAAS_CONFIG : SaslConfigs.SASL_JAAS_CONFIG;
        }
        String value = props.get(key);
        String loginModule = mechanism.equals(PLAIN) ? PlainLoginModule.class.getName() : ScramLoginModule.class.getName();
        List<AppConfigurationEntry> entries;
        try {
            // JaasContext reads the mechanism's key of a listener's settings; the value is handed over under it.
            String contextKey = mechanismPrefix + SaslConfigs.SASL_JAAS_CONFIG;
            entries = JaasContext.loadServerContext(listener, mechanism, value == null || value.isBlank() ? Map.of()
                    : Map.of(contextKey, new Password(value))).configurationEntries();
        } catch (IllegalArgumentException | SecurityException e) {
            if (value == null || value.isBlank()) {
                entries = List.of(); // neither the key nor a JAAS file
            } else {
                throw new ConfigException(key, Password.HIDDEN, "not a JAAS configuration: " + e.getMessage());
            }
        }
        List<AppConfigurationEntry> mechanismEntries = entries.stream()
                .filter(entry -> entry.getLoginModuleName().equals(loginModule)).toList();
        if (mechanismEntries.isEmpty() && mechanism.equals(PLAIN) && !entries.isEmpty() && value != null
                && !value.isBlank()) {
            throw new ConfigException(key, Password.HIDDEN, "SASL mechanism " + mechanism + " takes the login module "
                    + loginModule + ", not " + entries.stream().map(AppConfigurationEntry::getLoginModuleName).toList());
        }
        if (mechanismEntries.isEmpty() && mechanism.equals(PLAIN)) {
            throw new ConfigException(jaasKey(listenerName, mechanism), null, "listener " + listenerName
                    + " enables SASL mechanism " + mechanism + " and needs its JAAS configuration (this key, or a "
                    + "KafkaServer section in the file of -Djava.security.auth.login.config), e.g. " + loginModule
                    + " required user_alice=\"alice-secret\";");
        }
        jaasEntries.put(mechanism, mechanismEntries);
    }

    /** The key of a listener's JAAS configuration for a mechanism. */
    static String jaasKey(String listenerName, String mechanism) {
        return ListenerName.normalised(listenerName).saslMechanismConfigPrefix(mechanism) + SaslConfigs.SASL_JAAS_CONFIG;
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
