package io.runnel.proxy;

import io.runnel.http.HttpErrors;
import io.runnel.http.HttpService;
import io.runnel.proxy.consumer.ConsumerInstances;
import io.runnel.proxy.http.Replies;
import io.runnel.proxy.v2.ConsumerRoutes;
import io.runnel.proxy.v2.MetadataRoutes;
import io.runnel.proxy.v2.ProduceRoutes;
import io.runnel.proxy.v3.AclRoutes;
import io.runnel.proxy.v3.ClusterRoutes;
import io.runnel.proxy.v3.RecordRoutes;
import io.runnel.proxy.v3.TopicConfigRoutes;
import io.runnel.proxy.v3.TopicRoutes;
import io.vertx.core.json.JsonObject;

/**
 * A running REST proxy: Confluent's REST API v2 and v3 over one Admin, one producer and the consumer instances its
 * clients create. What {@code runnel server} starts beside a broker and {@code runnel rest-proxy} runs alone.
 */
public final class RestProxyServer implements AutoCloseable {
    public static final String V2 = "application/vnd.kafka.v2+json";
    public static final String V3 = "application/json";
    /** A produce request of a few thousand records; also below the broker's default record batch limit. */
    private static final long MAX_BODY_BYTES = 1024 * 1024;
    private static final HttpService.Limits LIMITS = new HttpService.Limits(1, 60, 8192, 8192, MAX_BODY_BYTES);

    private final ClusterClients clients;
    private final ConsumerInstances instances;
    private final HttpService http;

    private RestProxyServer(ClusterClients clients, ConsumerInstances instances, HttpService http) {
        this.clients = clients;
        this.instances = instances;
        this.http = http;
    }

    public static RestProxyServer start(RestProxyConfig config) {
        ClusterClients clients = new ClusterClients(config);
        ConsumerInstances instances = new ConsumerInstances(config.consumerProperties(),
                config.consumerInstanceTimeoutMs(), config.consumerRequestTimeoutMs());
        try {
            HttpErrors v2Errors = new HttpErrors("REST proxy", V2, 500);
            Replies v2 = new Replies(V2, v2Errors);
            HttpErrors v3Errors = new HttpErrors("REST proxy", V3, 500);
            Replies v3 = new Replies(V3, v3Errors);
            HttpService http = new HttpService("The REST proxy (listeners)", config.http(), LIMITS, v2Errors,
                    router -> {
                        router.get("/").handler(ctx -> v2.ok(ctx, new JsonObject()));
                        new MetadataRoutes(clients, v2).install(router);
                        new ProduceRoutes(clients, v2).install(router);
                        new ConsumerRoutes(clients, instances, v2).install(router);
                        router.route("/v3/*").failureHandler(v3Errors::failed);
                        new ClusterRoutes(clients, v3).install(router);
                        new TopicRoutes(clients, v3).install(router);
                        new TopicConfigRoutes(clients, v3).install(router);
                        new AclRoutes(clients, v3).install(router);
                        new RecordRoutes(clients, v3Errors).install(router);
                    });
            return new RestProxyServer(clients, instances, http);
        } catch (RuntimeException | Error e) {
            instances.close();
            clients.close();
            throw e;
        }
    }

    /** The port the {@code index}th listener bound. */
    public int boundPort(int index) {
        return http.boundPort(index);
    }

    @Override
    public void close() {
        http.close();
        instances.close();
        clients.close();
    }
}
