package io.runnel.tools;

import io.runnel.broker.RunnelServer;
import io.runnel.broker.config.BrokerConfig;
import io.runnel.console.ConsoleConfig;
import io.runnel.console.ConsoleServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The web console {@code runnel server} runs beside the broker when {@code console.listeners} is set: a client of
 * the broker's own PLAINTEXT listener and of the schema registry beside it, started once both serve. Its settings are
 * checked before the broker starts; a console that cannot start is logged and left off, never stopping the broker.
 */
final class EmbeddedConsole implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedConsole.class);

    private final BrokerConfig config;
    private volatile ConsoleServer console;

    EmbeddedConsole(BrokerConfig config) {
        this.config = config;
    }

    /** {@code registryUrl}: the schema registry running beside the broker, null when there is none. */
    void start(RunnelServer server, String registryUrl) {
        if (config.consoleHttp().listeners().isEmpty()) {
            return;
        }
        String bootstrap = LocalBootstrap.of(config, server);
        if (bootstrap == null) {
            LOG.error("The console is not started: it needs a PLAINTEXT broker listener to reach this broker; "
                    + "run it alone with `runnel console` and client.* security settings");
            return;
        }
        try {
            console = ConsoleServer.start(ConsoleConfig.embedded(config.consoleHttp(), bootstrap, registryUrl,
                    config.consoleReadOnly(), config.consoleBasicAuth()));
        } catch (Exception e) {
            LOG.error("The console could not start; the broker serves on without it", e);
        }
    }

    /** For the start-up line: where the console listens, or nothing when it is off. */
    String describe() {
        ConsoleServer running = console;
        return running == null ? "" : "; console " + config.consoleHttp().url(0, running.boundPort(0));
    }

    @Override
    public void close() {
        ConsoleServer running = console;
        if (running != null) {
            running.close();
        }
    }
}
