package io.runnel.broker.security;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.SslClientAuth;
import org.apache.kafka.common.config.SslConfigs;
import org.apache.kafka.common.config.types.Password;
import org.apache.kafka.common.network.ListenerName;
import org.apache.kafka.common.security.ssl.SslPrincipalMapper;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The TLS settings of one listener, with Kafka's keys and defaults: each {@code ssl.*} key, overridden by
 * {@code listener.name.<listener>.ssl.*} (the listener name in lower case, as Kafka writes it). Every error names
 * the key as written, its value (passwords hidden) and the rule it breaks.
 */
public final class SslSettings {
    public static final String CLIENT_AUTH = "ssl.client.auth";
    public static final String PRINCIPAL_MAPPING_RULES = "ssl.principal.mapping.rules";
    private static final String LISTENER_PREFIX = "listener.name.";
    /** Kafka's client keys (stores, protocols, ciphers, endpoint identification) and the two a broker adds. */
    private static final ConfigDef DEF = define();

    private final String listenerName;
    private final Map<String, Object> values = new HashMap<>();
    /** Base key → the key its value was read from (the listener's override or the base key). */
    private final Map<String, String> writtenKeys = new HashMap<>();

    private SslSettings(Map<String, String> props, String listenerName) {
        this.listenerName = listenerName;
        String prefix = ListenerName.normalised(listenerName).configPrefix();
        for (ConfigDef.ConfigKey def : DEF.configKeys().values()) {
            String written = props.containsKey(prefix + def.name) ? prefix + def.name : def.name;
            String raw = props.get(written);
            Object value = raw == null ? def.defaultValue : ConfigDef.parseType(written, raw, def.type);
            if (def.validator != null) {
                def.validator.ensureValid(written, value);
            }
            values.put(def.name, value);
            writtenKeys.put(def.name, written);
        }
        refuseSetting(SslConfigs.SSL_ENGINE_FACTORY_CLASS_CONFIG, "Runnel's TLS runs on Netty and takes no engine factory");
        refuseSetting(SslConfigs.SSL_PROVIDER_CONFIG, "Runnel uses OpenSSL where it loads and the JDK otherwise");
        checkClientAuth();
        checkPrincipalMappingRules();
    }

    /** The settings of {@code listenerName} in {@code props}, validated. */
    public static SslSettings forListener(Map<String, String> props, String listenerName) {
        return new SslSettings(props, listenerName);
    }

    /** Whether the key is one of these settings, directly or as a listener's override. */
    public static boolean isSslKey(String key) {
        if (DEF.names().contains(key)) {
            return true;
        }
        if (!key.startsWith(LISTENER_PREFIX)) {
            return false;
        }
        int dot = key.indexOf('.', LISTENER_PREFIX.length());
        return dot > 0 && DEF.names().contains(key.substring(dot + 1));
    }

    public String listenerName() {
        return listenerName;
    }

    /** The key a setting was read from: the listener's override when there is one. */
    public String writtenKey(String key) {
        return writtenKeys.get(key);
    }

    /** A string setting, or null when unset. */
    public String string(String key) {
        return (String) values.get(key);
    }

    /** A password setting, or null when unset. */
    public Password password(String key) {
        return (Password) values.get(key);
    }

    @SuppressWarnings("unchecked")
    public List<String> list(String key) {
        List<String> value = (List<String>) values.get(key);
        return value == null ? List.of() : value;
    }

    public SslClientAuth clientAuth() {
        return SslClientAuth.forConfig(string(CLIENT_AUTH));
    }

    public SslPrincipalMapper principalMapper() {
        return SslPrincipalMapper.fromRules(string(PRINCIPAL_MAPPING_RULES));
    }

    /** A ConfigException naming the key as written and its value (hidden for a password). */
    public ConfigException invalid(String key, String reason) {
        Object value = values.get(key);
        return new ConfigException(writtenKey(key), value instanceof Password ? Password.HIDDEN : value, reason);
    }

    private void refuseSetting(String key, String why) {
        if (values.get(key) != null) {
            throw invalid(key, why + "; remove the setting");
        }
    }

    private void checkClientAuth() {
        if (clientAuth() == null) {
            throw invalid(CLIENT_AUTH, "must be one of " + SslClientAuth.VALUES);
        }
    }

    private void checkPrincipalMappingRules() {
        try {
            principalMapper();
        } catch (IllegalArgumentException e) {
            throw invalid(PRINCIPAL_MAPPING_RULES, e.getMessage());
        }
    }

    private static ConfigDef define() {
        ConfigDef def = new ConfigDef();
        SslConfigs.addClientSslSupport(def);
        def.define(CLIENT_AUTH, Type.STRING, SslClientAuth.NONE.name().toLowerCase(java.util.Locale.ROOT),
                Importance.MEDIUM, "Whether a client must (required), may (requested) or need not (none) present a "
                        + "certificate.");
        def.define(PRINCIPAL_MAPPING_RULES, Type.STRING, "DEFAULT", Importance.LOW,
                "Rules mapping a client certificate's distinguished name to a short name, as Kafka writes them.");
        return def;
    }
}
