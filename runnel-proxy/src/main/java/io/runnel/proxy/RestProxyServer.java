package io.runnel.proxy;

import io.runnel.http.HttpErrors;
import io.runnel.http.HttpService;
import io.runnel.proxy.http.Replies;
import io.runnel.proxy.v2.MetadataRoutes;
import io.runnel.proxy.v2.ProduceRoutes;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;

/**
 * A running REST proxy: Confluent's REST API v2 and v3 over one Admin, one producer and the consumer instances its
 * clients create. What {@code runnel server} starts beside a broker and {@code runnel rest-proxy} runs alone.
 */
public final class RestProxyServer implements AutoCloseable {
    public static final String V2 = "application/vnd.kafka.v2+json";
    /** A produce request of a few thousand records; also below the broker's default record batch limit. */
    private static final long MAX_BODY_BYTES = 1024 * 1024;
    private static final HttpService.Limits LIMITS = new HttpService.Limits(1, 60, 8192, 8192, MAX_BODY_BYTES);

    private final ClusterClients clients;
    private final HttpService http;

    private RestProxyServer(ClusterClients clients, HttpService http) {
        this.clients = clients;
        this.http = http;
    }

    public static RestProxyServer start(RestProxyConfig config) {
        ClusterClients clients = new ClusterClients(config);
        try {
            HttpErrors v2Errors = new HttpErrors("REST proxy", V2, 500);
            Replies v2 = new Replies(V2, v2Errors);
            HttpService http = new HttpService("The REST proxy (listeners)", config.listeners(), LIMITS, v2Errors,
                    router -> routes(router, clients, v2));
            return new RestProxyServer(clients, http);
        } catch (RuntimeException | Error e) {
            clients.close();
            throw e;
        }
    }

    private static void routes(Router router, ClusterClients clients, Replies v2) {
        router.get("/").handler(ctx -> v2.ok(ctx, new JsonObject()));
        new MetadataRoutes(clients, v2).install(router);
        new ProduceRoutes(clients, v2).install(router);
    }

    /** The port the {@code index}th listener bound. */
    public int boundPort(int index) {
        return http.boundPort(index);
    }

    @Override
    public void close() {
        http.close();
        clients.close();
    }
}
