package io.runnel.broker.security;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.config.internals.BrokerSecurityConfigs;
import org.apache.kafka.common.config.types.Password;
import org.apache.kafka.common.network.ListenerName;
import org.apache.kafka.common.security.JaasContext;
import org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule;
import org.apache.kafka.common.security.plain.PlainLoginModule;
import org.apache.kafka.common.security.scram.ScramLoginModule;

import javax.security.auth.login.AppConfigurationEntry;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
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
    public static final String OAUTHBEARER = "OAUTHBEARER";
    /** The mechanisms Runnel serves. */
    public static final List<String> SUPPORTED_MECHANISMS = List.of(PLAIN, "SCRAM-SHA-256", "SCRAM-SHA-512", OAUTHBEARER);
    private static final String OAUTHBEARER_PREFIX = "sasl.oauthbearer.";
    private static final String MAX_REAUTH_MS = BrokerSecurityConfigs.CONNECTIONS_MAX_REAUTH_MS_CONFIG;
    /** Kafka's key naming a listener mechanism's server callback handler; for OAUTHBEARER, its token validator. */
    public static final String SERVER_CALLBACK_HANDLER_CLASS = BrokerSecurityConfigs.SASL_SERVER_CALLBACK_HANDLER_CLASS_CONFIG;
    /** kafka-clients' OAUTHBEARER validator of signed tokens (JWKS), for production. */
    public static final String VALIDATING_HANDLER =
            "org.apache.kafka.common.security.oauthbearer.OAuthBearerValidatorCallbackHandler";
    /** kafka-clients' OAUTHBEARER validator of unsecured tokens, Kafka's default, for development. */
    public static final String UNSECURED_HANDLER =
            "org.apache.kafka.common.security.oauthbearer.internals.unsecured.OAuthBearerUnsecuredValidatorCallbackHandler";
    private static final String LISTENER_PREFIX = "listener.name.";

    private final String listenerName;
    private final List<String> mechanisms;
    private final int maxReceiveBytes;
    /** Each enabled mechanism's connections.max.reauth.ms. */
    private final Map<String, Long> maxReauthMs = new LinkedHashMap<>();
    /** Each enabled mechanism's JAAS login module entries; absent for a mechanism configured without one. */
    private final Map<String, List<AppConfigurationEntry>> jaasEntries = new LinkedHashMap<>();
    /** OAUTHBEARER's settings, Kafka's {@code sasl.oauthbearer.*} and server callback handler, as typed values. */
    private final Map<String, Object> oauthBearer;

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
        this.oauthBearer = mechanisms.contains(OAUTHBEARER) ? oauthBearerConfigs(props, listener) : Map.of();
        for (String mechanism : mechanisms) {
            String reauthKey = listener.saslMechanismConfigPrefix(mechanism) + MAX_REAUTH_MS;
            if (!props.containsKey(reauthKey)) {
                reauthKey = written(props, listener, MAX_REAUTH_MS);
            }
            maxReauthMs.put(mechanism, nonNegative(reauthKey, props.getOrDefault(reauthKey, "0")));
        }
    }

    private static long nonNegative(String key, String value) {
        try {
            long ms = Long.parseLong(value.trim());
            if (ms >= 0) {
                return ms;
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw new ConfigException(key, value, "must be a number of milliseconds, 0 or more");
    }

    /**
     * Kafka's OAUTHBEARER keys, each of them as {@code listener.name.<listener>.oauthbearer.<key>}, else
     * {@code listener.name.<listener>.<key>}, else {@code <key>}, parsed with kafka-clients' definitions.
     */
    private static Map<String, Object> oauthBearerConfigs(Map<String, String> props, ListenerName listener) {
        String mechanismPrefix = listener.saslMechanismConfigPrefix(OAUTHBEARER);
        Map<String, String> chosen = new HashMap<>();
        for (String prefix : List.of("", listener.configPrefix(), mechanismPrefix)) {
            props.forEach((key, value) -> {
                if (key.startsWith(prefix)) {
                    String base = key.substring(prefix.length());
                    if (base.startsWith(OAUTHBEARER_PREFIX) || base.equals(SERVER_CALLBACK_HANDLER_CLASS)) {
                        chosen.put(base, value);
                    }
                }
            });
        }
        String handler = chosen.remove(SERVER_CALLBACK_HANDLER_CLASS);
        if (handler != null && !handler.trim().equals(VALIDATING_HANDLER) && !handler.trim().equals(UNSECURED_HANDLER)) {
            throw new ConfigException(mechanismPrefix + SERVER_CALLBACK_HANDLER_CLASS, handler, "Runnel validates"
                    + " OAUTHBEARER tokens with kafka-clients' " + VALIDATING_HANDLER + " (signed tokens, JWKS) or "
                    + UNSECURED_HANDLER + " (unsecured tokens, Kafka's default)");
        }
        ConfigDef def = new ConfigDef();
        SaslConfigs.addClientSaslSupport(def);
        Map<String, Object> parsed = new HashMap<>(def.parse(chosen));
        if (handler != null) {
            parsed.put(SERVER_CALLBACK_HANDLER_CLASS, handler.trim());
        }
        return Collections.unmodifiableMap(parsed);
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
        String withoutMechanism = SUPPORTED_MECHANISMS.stream().map(m -> m.toLowerCase(Locale.ROOT) + ".")
                .filter(base::startsWith).findFirst().map(m -> base.substring(m.length())).orElse(base);
        return base.equals(BrokerSecurityConfigs.SASL_ENABLED_MECHANISMS_CONFIG)
                || key.equals(InterBrokerSasl.MECHANISM_KEY)
                || base.equals(BrokerSecurityConfigs.SASL_SERVER_MAX_RECEIVE_SIZE_CONFIG)
                || base.endsWith(SaslConfigs.SASL_JAAS_CONFIG)
                || withoutMechanism.startsWith(OAUTHBEARER_PREFIX)
                || withoutMechanism.equals(SERVER_CALLBACK_HANDLER_CLASS)
                || withoutMechanism.equals(MAX_REAUTH_MS);
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

    /**
     * OAUTHBEARER's settings for kafka-clients' token validators: the {@code sasl.oauthbearer.*} values with their
     * defaults, and {@link #SERVER_CALLBACK_HANDLER_CLASS} when given.
     */
    public Map<String, Object> oauthBearerConfigs() {
        return oauthBearer;
    }

    /**
     * Each mechanism's {@code connections.max.reauth.ms} (KIP-368): {@code listener.name.<listener>.<mechanism>.}, else
     * {@code listener.name.<listener>.}, else the key alone; 0, Kafka's default, lets sessions last.
     */
    public Map<String, Long> maxReauthMs() {
        return Collections.unmodifiableMap(maxReauthMs);
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
        String loginModule = mechanism.equals(PLAIN) ? PlainLoginModule.class.getName()
                : mechanism.equals(OAUTHBEARER) ? OAuthBearerLoginModule.class.getName() : ScramLoginModule.class.getName();
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
