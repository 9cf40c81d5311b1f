package io.runnel.broker.config;

import io.netty.util.concurrent.DefaultThreadFactory;
import io.runnel.broker.interbroker.InterBrokerClient;
import io.runnel.broker.network.ListenerTls;
import io.runnel.broker.security.SslContexts;
import io.runnel.broker.security.SslSettings;
import io.runnel.metadata.ConfigResult;
import io.runnel.metadata.MetadataImage;
import io.runnel.metadata.MetadataListener;
import io.runnel.metadata.config.DynamicBrokerConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.network.ListenerName;
import org.apache.kafka.common.protocol.Errors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;

/**
 * Certificate rotation, as Kafka allows it: this broker's dynamic {@code listener.name.<listener>.ssl.keystore.*} and
 * {@code .ssl.truststore.*} configs replace the stores of its SSL listeners (and, for the inter-broker listener, of
 * its inter-broker client). A change is refused before it is sent to the controller when the stores it names cannot
 * be used; once in the metadata log it applies to the connections accepted from then on. Stores are read on a thread
 * of this class, never on a network thread nor on the metadata thread. Must be told of each update after the
 * {@link TopicConfigResolver} has taken the update's dynamic broker configs.
 */
public final class DynamicSslConfig implements MetadataListener, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(DynamicSslConfig.class);

    private final BrokerConfig config;
    private final TopicConfigResolver configs;
    private final Map<String, ListenerTls> listeners;
    private final InterBrokerClient interBroker;
    private final ExecutorService loader =
            Executors.newSingleThreadExecutor(new DefaultThreadFactory("runnel-ssl-stores", true));
    /** Each SSL listener's dynamic store configs in force; touched by the metadata listener's thread only. */
    private final Map<String, Map<String, String>> applied = new HashMap<>();

    public DynamicSslConfig(BrokerConfig config, TopicConfigResolver configs, Map<String, ListenerTls> listeners,
                            InterBrokerClient interBroker) {
        this.config = config;
        this.configs = configs;
        this.listeners = listeners;
        this.interBroker = interBroker;
    }

    @Override
    public void onMetadataUpdate(MetadataImage previous, MetadataImage current) {
        Map<String, String> dynamic = dynamicStoreConfigs();
        for (String listener : listeners.keySet()) {
            Map<String, String> wanted = ofListener(dynamic, listener);
            if (!wanted.equals(applied.getOrDefault(listener, Map.of()))) {
                applied.put(listener, wanted);
                loader.execute(() -> reload(listener, wanted));
            }
        }
    }

    /**
     * Refuses with INVALID_REQUEST, as Kafka answers, the changes that set stores cluster-wide or stores of this
     * broker's SSL listeners that cannot be used, and hands the others to {@code apply} (the controller): the result
     * of every change. {@code newValues} are the values each resource's change sets.
     */
    public <C> CompletableFuture<List<ConfigResult>> refuseOrApply(Map<ConfigResource, Map<String, String>> newValues,
            Map<ConfigResource, C> changes, Function<Map<ConfigResource, C>, CompletableFuture<List<ConfigResult>>> apply) {
        return refusals(newValues).thenCompose(refused -> {
            List<ConfigResult> results = new ArrayList<>();
            Map<ConfigResource, C> allowed = new LinkedHashMap<>(changes);
            refused.forEach((resource, reason) -> {
                allowed.remove(resource);
                results.add(new ConfigResult(resource, Errors.INVALID_REQUEST, reason));
            });
            if (allowed.isEmpty()) {
                return CompletableFuture.completedFuture(results);
            }
            return apply.apply(allowed).thenApply(applied -> {
                results.addAll(applied);
                return results;
            });
        });
    }

    private CompletableFuture<Map<ConfigResource, String>> refusals(Map<ConfigResource, Map<String, String>> newValues) {
        Map<ConfigResource, CompletableFuture<String>> checks = new LinkedHashMap<>();
        newValues.forEach((resource, values) -> checks.put(resource, refusal(resource, values)));
        return CompletableFuture.allOf(checks.values().toArray(CompletableFuture[]::new)).thenApply(done -> {
            Map<ConfigResource, String> refused = new LinkedHashMap<>();
            checks.forEach((resource, check) -> {
                String reason = check.join();
                if (reason != null) {
                    refused.put(resource, reason);
                }
            });
            return refused;
        });
    }

    private CompletableFuture<String> refusal(ConfigResource resource, Map<String, String> newValues) {
        Map<String, String> stores = new HashMap<>();
        newValues.forEach((key, value) -> {
            if (DynamicBrokerConfigDef.isListenerStoreKey(key) && value != null) {
                stores.put(key, value);
            }
        });
        if (resource.type() != ConfigResource.Type.BROKER || stores.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        if (resource.name().isEmpty()) {
            return CompletableFuture.completedFuture("Cannot update these configs at default cluster level, broker id "
                    + "must be specified: " + stores.keySet());
        }
        Map<String, String> dynamic = dynamicStoreConfigs();
        dynamic.putAll(stores);
        return CompletableFuture.supplyAsync(() -> {
            for (String listener : listeners.keySet()) {
                try {
                    SslContexts.server(settings(listener, ofListener(dynamic, listener)));
                } catch (ConfigException e) {
                    return "Invalid config value for resource " + resource + ": " + e.getMessage();
                }
            }
            return null;
        }, loader);
    }

    private void reload(String listener, Map<String, String> stores) {
        try {
            SslSettings settings = settings(listener, stores);
            listeners.get(listener).replace(SslContexts.server(settings));
            if (listener.equals(config.interBrokerListenerName())) {
                interBroker.replaceTls(SslContexts.client(settings));
            }
            log.info("Listener {} uses the stores of {} for its new connections", listener, stores.isEmpty()
                    ? "server.properties" : "the dynamic configs " + stores.keySet());
        } catch (ConfigException e) {
            // Refused when altered on this broker; stores changed on disk since then are reported here.
            log.error("Listener {} keeps its TLS stores: {}", listener, e.getMessage());
        }
    }

    /** The listener's settings: server.properties, then its dynamic store configs. */
    private SslSettings settings(String listener, Map<String, String> stores) {
        Map<String, String> props = new HashMap<>(config.originals());
        props.putAll(stores);
        return SslSettings.forListener(props, listener);
    }

    private Map<String, String> dynamicStoreConfigs() {
        Map<String, String> stores = new HashMap<>();
        for (String key : configs.dynamicBrokerKeys()) {
            if (DynamicBrokerConfigDef.isListenerStoreKey(key)) {
                stores.put(key, configs.resolveBroker(key).value());
            }
        }
        return stores;
    }

    private static Map<String, String> ofListener(Map<String, String> stores, String listener) {
        String prefix = ListenerName.normalised(listener).configPrefix();
        Map<String, String> result = new HashMap<>();
        stores.forEach((key, value) -> {
            if (key.startsWith(prefix)) {
                result.put(key, value);
            }
        });
        return result;
    }

    @Override
    public void close() {
        loader.shutdownNow();
    }
}
