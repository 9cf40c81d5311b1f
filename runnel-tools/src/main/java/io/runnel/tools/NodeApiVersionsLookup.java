package io.runnel.tools;

import org.apache.kafka.clients.ApiVersions;
import org.apache.kafka.clients.BootstrapConfiguration;
import org.apache.kafka.clients.ClientUtils;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.Metadata;
import org.apache.kafka.clients.MetadataRecoveryStrategy;
import org.apache.kafka.clients.NetworkClient;
import org.apache.kafka.clients.NodeApiVersions;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.internals.ClusterResourceListeners;
import org.apache.kafka.common.metrics.Metrics;
import org.apache.kafka.common.network.Selector;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.common.utils.internals.LogContext;

import java.util.Properties;

/**
 * The API versions one node advertises (its ApiVersions response), as kafka-clients' NetworkClient learns them
 * when it connects. kafka-clients' public API (Admin, Producer, Consumer) does not expose them: this class is the
 * one place the tools build a NetworkClient, with kafka-clients' unsupported classes ({@code NetworkClient},
 * {@code Selector}, {@code Metadata}, {@code common.utils.internals.LogContext}), so that a kafka-clients upgrade
 * touches only this file. The connection honours the security settings (TLS, SASL) of the given properties.
 */
final class NodeApiVersionsLookup implements AutoCloseable {
    private static final int MAX_IN_FLIGHT = 100;
    private static final long RECONNECT_BACKOFF_MS = 50;
    private static final int SEND_BUFFER = 128 * 1024;
    private static final int RECEIVE_BUFFER = 32 * 1024;
    private static final long POLL_MS = 100;

    private final Time time = Time.SYSTEM;
    private final Metrics metrics = new Metrics(time);
    private final ApiVersions apiVersions = new ApiVersions();
    private final NetworkClient client;
    private final long timeoutMs;

    NodeApiVersionsLookup(Properties props) {
        AdminClientConfig config = new AdminClientConfig(props);
        LogContext logContext = new LogContext("[broker-api-versions] ");
        this.timeoutMs = config.getInt(CommonClientConfigs.REQUEST_TIMEOUT_MS_CONFIG);
        Selector selector = new Selector(config.getLong(CommonClientConfigs.CONNECTIONS_MAX_IDLE_MS_CONFIG), metrics,
                time, "broker-api-versions", ClientUtils.createChannelBuilder(config, time, logContext), logContext);
        Metadata metadata = new Metadata(config.getLong(CommonClientConfigs.RETRY_BACKOFF_MS_CONFIG),
                config.getLong(CommonClientConfigs.RETRY_BACKOFF_MAX_MS_CONFIG), Long.MAX_VALUE, logContext,
                new ClusterResourceListeners());
        this.client = new NetworkClient(selector, metadata, "broker-api-versions", MAX_IN_FLIGHT, RECONNECT_BACKOFF_MS,
                RECONNECT_BACKOFF_MS, SEND_BUFFER, RECEIVE_BUFFER, (int) timeoutMs,
                config.getLong(CommonClientConfigs.SOCKET_CONNECTION_SETUP_TIMEOUT_MS_CONFIG),
                config.getLong(CommonClientConfigs.SOCKET_CONNECTION_SETUP_TIMEOUT_MAX_MS_CONFIG), time,
                true, apiVersions, logContext, MetadataRecoveryStrategy.NONE, BootstrapConfiguration.DISABLED, false);
    }

    /** Connects to the node (the client asks for its ApiVersions first thing) and returns what it advertised. */
    NodeApiVersions apiVersions(Node node) {
        long deadline = time.milliseconds() + timeoutMs;
        while (!client.isReady(node, time.milliseconds())) {
            if (client.authenticationException(node) != null) {
                throw client.authenticationException(node);
            }
            if (time.milliseconds() > deadline) {
                throw new TimeoutException("No ApiVersions from " + node + " within " + timeoutMs + " ms");
            }
            client.ready(node, time.milliseconds());
            client.poll(POLL_MS, time.milliseconds());
        }
        return apiVersions.get(node.idString());
    }

    @Override
    public void close() {
        client.close();
        metrics.close();
    }
}
