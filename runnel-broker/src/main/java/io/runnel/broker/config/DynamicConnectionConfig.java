package io.runnel.broker.config;

import io.runnel.broker.network.ConnectionLimits;
import io.runnel.broker.network.SocketServer;
import io.runnel.metadata.MetadataImage;
import io.runnel.metadata.MetadataListener;
import io.runnel.metadata.config.ConnectionOverrides;
import io.runnel.metadata.config.DynamicBrokerConfigDef;

/**
 * Applies the dynamic {@code max.connections}, {@code max.connections.per.ip} and
 * {@code max.connections.per.ip.overrides} (this broker's, else the cluster default, else the static value) to the
 * running socket server whenever their effective values change. New connections meet the new limits; those already
 * admitted stay, as in Kafka. Must be told of each update after the {@link TopicConfigResolver} has taken the
 * update's dynamic broker configs.
 */
public final class DynamicConnectionConfig implements MetadataListener {
    private final TopicConfigResolver configs;
    private final SocketServer server;

    public DynamicConnectionConfig(TopicConfigResolver configs, SocketServer server) {
        this.configs = configs;
        this.server = server;
    }

    @Override
    public void onMetadataUpdate(MetadataImage previous, MetadataImage current) {
        ConnectionLimits applied = server.connectionLimits();
        ConnectionLimits wanted = applied.withBrokerLimits(
                Integer.parseInt(value(DynamicBrokerConfigDef.MAX_CONNECTIONS)),
                Integer.parseInt(value(DynamicBrokerConfigDef.MAX_CONNECTIONS_PER_IP)),
                ConnectionOverrides.parse(value(DynamicBrokerConfigDef.MAX_CONNECTIONS_PER_IP_OVERRIDES)));
        if (!wanted.equals(applied)) {
            server.updateConnectionLimits(wanted);
        }
    }

    private String value(String key) {
        return configs.resolveBroker(key).value().trim();
    }
}
