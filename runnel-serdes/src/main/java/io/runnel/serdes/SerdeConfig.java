package io.runnel.serdes;

import java.net.URI;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;

/**
 * The serializers' settings, under Confluent's names so an application's existing properties work unchanged:
 * {@code schema.registry.url} (required, several comma-separated), {@code auto.register.schemas} (true),
 * {@code use.latest.version} (false), {@code key.subject.name.strategy} / {@code value.subject.name.strategy}
 * (TopicNameStrategy), {@code basic.auth.credentials.source} (USER_INFO or URL) with {@code basic.auth.user.info}.
 */
public final class SerdeConfig {
    public static final String SCHEMA_REGISTRY_URL = "schema.registry.url";
    public static final String AUTO_REGISTER_SCHEMAS = "auto.register.schemas";
    public static final String USE_LATEST_VERSION = "use.latest.version";
    public static final String KEY_SUBJECT_NAME_STRATEGY = "key.subject.name.strategy";
    public static final String VALUE_SUBJECT_NAME_STRATEGY = "value.subject.name.strategy";
    public static final String BASIC_AUTH_CREDENTIALS_SOURCE = "basic.auth.credentials.source";
    public static final String BASIC_AUTH_USER_INFO = "basic.auth.user.info";

    private final Map<String, ?> configs;
    private final boolean isKey;

    public SerdeConfig(Map<String, ?> configs, boolean isKey) {
        this.configs = configs;
        this.isKey = isKey;
    }

    public boolean isKey() {
        return isKey;
    }

    public List<String> registryUrls() {
        String urls = string(SCHEMA_REGISTRY_URL, null);
        if (urls == null || urls.isBlank()) {
            throw new ConfigException(SCHEMA_REGISTRY_URL, urls, "the schema registry's URL is required");
        }
        return Arrays.stream(urls.split(",")).map(String::trim).filter(u -> !u.isEmpty()).toList();
    }

    public boolean autoRegister() {
        return flag(AUTO_REGISTER_SCHEMAS, true);
    }

    public boolean useLatestVersion() {
        return flag(USE_LATEST_VERSION, false);
    }

    public SubjectNameStrategy subjectNameStrategy() {
        return SubjectNameStrategy.named(string(isKey ? KEY_SUBJECT_NAME_STRATEGY : VALUE_SUBJECT_NAME_STRATEGY,
                SubjectNameStrategy.TOPIC.className()));
    }

    /** "user:password" for HTTP basic auth, from basic.auth.user.info or the URL's user info; null for none. */
    public String basicAuthUserInfo() {
        String source = string(BASIC_AUTH_CREDENTIALS_SOURCE, "URL");
        if ("USER_INFO".equals(source)) {
            return string(BASIC_AUTH_USER_INFO, null);
        }
        if ("URL".equals(source)) {
            return URI.create(registryUrls().get(0)).getUserInfo();
        }
        throw new ConfigException(BASIC_AUTH_CREDENTIALS_SOURCE, source, "USER_INFO or URL");
    }

    public boolean flag(String name, boolean fallback) {
        Object value = configs.get(name);
        return value == null ? fallback : Boolean.parseBoolean(value.toString().trim());
    }

    public String string(String name, String fallback) {
        Object value = configs.get(name);
        if (value instanceof Class<?> type) {
            return type.getName();
        }
        return value == null ? fallback : value.toString();
    }

    /** A class named by a setting (a Class or its name), or null when unset. */
    public Class<?> type(String name) {
        Object value = configs.get(name);
        if (value == null || value instanceof Class<?>) {
            return (Class<?>) value;
        }
        try {
            return Class.forName(value.toString().trim(), true, Thread.currentThread().getContextClassLoader());
        } catch (ClassNotFoundException e) {
            throw new ConfigException(name, value, "no such class");
        }
    }
}
