package io.runnel.metadata.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.errors.InvalidConfigurationException;
import org.apache.kafka.common.errors.InvalidRequestException;

/**
 * The broker configs that may change at run time, per broker or cluster-wide: as Kafka's dynamic log config, the
 * main broker synonym of each topic config (log.retention.ms, log.segment.bytes, message.max.bytes,
 * log.cleaner.delete.retention.ms...), with that topic config's type and rule. Unit variants such as
 * log.retention.hours stay static, as in Kafka.
 */
public final class DynamicBrokerConfigDef {
    private static final Map<String, String> TOPIC_KEY_BY_BROKER_KEY = topicKeysByBrokerKey();

    private DynamicBrokerConfigDef() {
    }

    private static Map<String, String> topicKeysByBrokerKey() {
        Map<String, String> keys = new LinkedHashMap<>();
        for (String topicKey : TopicConfigDef.names()) {
            if (!TopicConfigDef.brokerSynonyms(topicKey).isEmpty()) {
                keys.put(TopicConfigDef.brokerSynonyms(topicKey).get(0), topicKey);
            }
        }
        return Collections.unmodifiableMap(keys);
    }

    public static boolean isDynamic(String brokerKey) {
        return TOPIC_KEY_BY_BROKER_KEY.containsKey(brokerKey);
    }

    /** The topic config whose cluster default the broker key sets; null for a key that is not dynamic. */
    public static String topicKey(String brokerKey) {
        return TOPIC_KEY_BY_BROKER_KEY.get(brokerKey);
    }

    /** Whether APPEND and SUBTRACT apply: the key holds a list. */
    public static boolean isList(String brokerKey) {
        return isDynamic(brokerKey) && TopicConfigDef.type(TOPIC_KEY_BY_BROKER_KEY.get(brokerKey)) == Type.LIST;
    }

    /** Kafka's default of the key as a topic value (a list comma-separated); null for a key that is not dynamic. */
    public static String defaultValue(String brokerKey) {
        String topicKey = TOPIC_KEY_BY_BROKER_KEY.get(brokerKey);
        return topicKey == null ? null : TopicConfigDef.defaultValue(topicKey);
    }

    /**
     * The first problem of a dynamic broker config set, as Kafka reports it: a key that cannot change at run time
     * is an {@link InvalidRequestException}, a bad value an {@link InvalidConfigurationException}; empty if valid.
     */
    public static Optional<ApiException> validate(Map<String, String> configs) {
        for (String key : configs.keySet()) {
            if (!isDynamic(key)) {
                return Optional.of(new InvalidRequestException("Cannot update these configs dynamically: Set(" + key + ")"));
            }
        }
        for (Map.Entry<String, String> e : configs.entrySet()) {
            Optional<InvalidConfigurationException> bad =
                    TopicConfigDef.checkValue(e.getKey(), TOPIC_KEY_BY_BROKER_KEY.get(e.getKey()), e.getValue());
            if (bad.isPresent()) {
                return Optional.of(bad.get());
            }
        }
        return Optional.empty();
    }
}
