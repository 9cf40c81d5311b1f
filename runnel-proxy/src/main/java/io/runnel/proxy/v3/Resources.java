package io.runnel.proxy.v3;

import io.runnel.http.HttpException;
import io.runnel.proxy.ClusterClients;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.concurrent.CompletableFuture;

/**
 * API v3's resource shapes: every object has a {@code kind}, {@code metadata} with its {@code self} URL and
 * {@code resource_name} (a CRN, {@code crn:///kafka=<cluster>/topic=<topic>}), and links to related collections;
 * lists are {@code {"kind":"...List","metadata":{"self":..,"next":null},"data":[...]}}.
 */
final class Resources {
    private Resources() {
    }

    /** {@code http://<host the client used>/v3/clusters/<id>} and what follows. */
    static String url(RoutingContext ctx, String path) {
        String host = ctx.request().getHeader("Host");
        return "http://" + (host == null ? ctx.request().localAddress().hostAddress() + ":"
                + ctx.request().localAddress().port() : host) + "/v3/clusters" + path;
    }

    static JsonObject resource(String kind, String self, String resourceName) {
        return new JsonObject().put("kind", kind).put("metadata", new JsonObject().put("self", self)
                .put("resource_name", resourceName));
    }

    static JsonObject list(String kind, String self, JsonArray data) {
        return new JsonObject().put("kind", kind).put("metadata", new JsonObject().put("self", self).putNull("next"))
                .put("data", data);
    }

    static JsonObject related(String url) {
        return new JsonObject().put("related", url);
    }

    /** The cluster's id; 404 when {@code asked} (the path's cluster, null for none) is another. */
    static CompletableFuture<String> clusterId(ClusterClients clients, String asked) {
        return checked(ClusterClients.future(clients.admin().describeCluster().clusterId()), asked);
    }

    /** {@code clusterId}, or 404 when {@code asked} is another. */
    static CompletableFuture<String> checked(CompletableFuture<String> clusterId, String asked) {
        return clusterId.thenApply(id -> {
            if (asked != null && !id.equals(asked)) {
                throw new HttpException(404, "Cluster " + asked + " cannot be found.");
            }
            return id;
        });
    }
}
