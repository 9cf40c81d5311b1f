package io.runnel.registry.http;

import io.runnel.http.HttpEndpoints;
import io.runnel.http.HttpService;
import io.runnel.registry.SchemaRegistry;
import io.runnel.registry.leader.LeaderElection;

/**
 * The registry's HTTP listeners. A request body is at most {@link #MAX_BODY_BYTES}, which is also below the broker's
 * default record size limit.
 */
public final class RegistryHttpServer implements AutoCloseable {
    static final int MAX_BODY_BYTES = 512 * 1024;
    private static final HttpService.Limits LIMITS = new HttpService.Limits(1, 60, 8192, 8192, MAX_BODY_BYTES);

    private final HttpService http;

    /**
     * Binds every listener now; one that cannot bind fails start-up with its address. Writes go to the leader the
     * election names.
     */
    public RegistryHttpServer(HttpEndpoints endpoints, SchemaRegistry registry, LeaderElection election) {
        http = new HttpService("The schema registry (listeners)", endpoints, LIMITS, Replies.ERRORS,
                new RegistryRoutes(registry, new LeaderForwarder(election))::install);
    }

    /** The port the {@code index}th listener bound (the real one when it asked for port 0). */
    public int boundPort(int index) {
        return http.boundPort(index);
    }

    @Override
    public void close() {
        http.close();
    }
}
