package io.runnel.registry;

import io.runnel.http.HttpListener;
import io.runnel.registry.http.RegistryHttpServer;
import io.runnel.registry.leader.LeaderElection;
import io.runnel.registry.storage.SchemaIndex;
import io.runnel.registry.storage.SchemaLog;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;

/**
 * A running schema registry: reads {@code _schemas} to its end, serves the REST API, and joins the instances' group
 * that elects the one that writes. What {@code runnel server} starts beside a broker and {@code runnel schema-registry}
 * runs alone.
 */
public final class SchemaRegistryServer implements AutoCloseable {

    private final SchemaRegistry registry;
    private final LeaderElection election;
    private final RegistryHttpServer http;

    private SchemaRegistryServer(SchemaRegistry registry, LeaderElection election, RegistryHttpServer http) {
        this.registry = registry;
        this.election = election;
        this.http = http;
    }

    /**
     * Creates the topic if needed and reads it before the listeners open, so no request sees a partial index; then
     * joins the group under the first listener's URL. Writes that arrive before the first election wait for it.
     */
    public static SchemaRegistryServer start(RegistryConfig config) throws Exception {
        Duration timeout = Duration.ofMillis(config.timeoutMs());
        SchemaIndex index = new SchemaIndex();
        SchemaLog log = new SchemaLog(config.clientProperties(), config.topic(), config.replicationFactor(), index,
                timeout);
        LeaderElection election = new LeaderElection(config.clientProperties(), config.leadership().groupId(),
                config.leadership().eligible(), config.topic());
        SchemaRegistry registry = new SchemaRegistry(index, log, election, timeout);
        RegistryHttpServer http = null;
        try {
            log.start(timeout);
            http = new RegistryHttpServer(config.http(), registry, election);
            // Reads are served from here on; a write waits for the first election (LeaderWriter), so start-up
            // does not (a testkit's registry starts in the time of its broker's).
            election.start(url(config, http.boundPort(0)));
            return new SchemaRegistryServer(registry, election, http);
        } catch (Exception | Error e) {
            if (http != null) {
                http.close();
            }
            election.close();
            registry.close();
            throw e;
        }
    }

    /** How the other instances reach this one: host.name, else the first listener's host unless it is a wildcard. */
    private static String url(RegistryConfig config, int port) throws Exception {
        HttpListener listener = config.http().listeners().get(0);
        String host = config.leadership().hostName();
        if (host == null) {
            host = InetAddress.getByName(listener.host()).isAnyLocalAddress()
                    ? InetAddress.getLocalHost().getCanonicalHostName() : listener.host();
        }
        return (listener.tls() ? "https://" : "http://") + (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }

    /** The port the {@code index}th listener bound. */
    public int boundPort(int index) {
        return http.boundPort(index);
    }

    /** Stops serving, then leaves the group, so the others elect a new leader at once. */
    @Override
    public void close() {
        http.close();
        election.close();
        registry.close();
    }
}
