package io.runnel.tools;

import io.runnel.broker.RunnelServer;
import io.runnel.broker.config.BrokerConfig;
import io.runnel.proxy.RestProxyConfig;
import io.runnel.proxy.RestProxyServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The REST proxy {@code runnel server} runs beside the broker when {@code rest.proxy.listeners} is set: a client of
 * the broker's own PLAINTEXT listener and of the schema registry beside it, started once both serve. It never stops
 * the broker: a proxy that cannot start is logged and left off.
 */
final class EmbeddedRestProxy implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedRestProxy.class);

    private final BrokerConfig config;
    private volatile RestProxyServer proxy;

    EmbeddedRestProxy(BrokerConfig config) {
        this.config = config;
    }

    /** {@code registryUrl}: the schema registry running beside the broker, null when there is none. */
    void start(RunnelServer server, String registryUrl) {
        if (config.restProxyHttp().listeners().isEmpty()) {
            return;
        }
        String bootstrap = LocalBootstrap.of(config, server);
        if (bootstrap == null) {
            LOG.error("The REST proxy is not started: it needs a PLAINTEXT broker listener to reach this broker; "
                    + "run it alone with `runnel rest-proxy` and client.* security settings");
            return;
        }
        try {
            proxy = RestProxyServer.start(RestProxyConfig.embedded(config.restProxyHttp(), bootstrap,
                    registryUrl));
        } catch (Exception e) {
            LOG.error("The REST proxy could not start; the broker serves on without it", e);
        }
    }

    /** For the start-up line: where the proxy listens, or nothing when it is off. */
    String describe() {
        RestProxyServer running = proxy;
        return running == null ? "" : "; REST proxy " + config.restProxyHttp().url(0, running.boundPort(0));
    }

    @Override
    public void close() {
        RestProxyServer running = proxy;
        if (running != null) {
            running.close();
        }
    }
}
