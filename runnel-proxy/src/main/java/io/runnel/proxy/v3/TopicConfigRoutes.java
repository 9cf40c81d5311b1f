package io.runnel.proxy.v3;

import static io.runnel.proxy.ClusterClients.future;
import static io.runnel.proxy.v3.Resources.list;
import static io.runnel.proxy.v3.Resources.resource;
import static io.runnel.proxy.v3.Resources.url;

import io.runnel.http.HttpException;
import io.runnel.proxy.ClusterClients;
import io.runnel.proxy.RestErrors;
import io.runnel.proxy.http.Bodies;
import io.runnel.proxy.http.Replies;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.config.ConfigResource;

/**
 * API v3's topic configs: list, one config, set one ({@code PUT} with {@code {"value":..}}), reset one to its
 * default ({@code DELETE}), and several at once ({@code POST .../configs:alter} with
 * {@code {"data":[{"name":..,"value":..},{"name":..,"operation":"DELETE"}]}}), each an incremental alter as Kafka's
 * {@code kafka-configs --alter} makes it. A topic the cluster does not have is 40403, a config Kafka refuses 40002.
 */
public final class TopicConfigRoutes {
    private static final String CONFIGS = "/v3/clusters/:cluster/topics/:topic/configs";
    private static final String CONFIG = CONFIGS + "/:name";
    /** Vert.x reads ":alter" in a path as a parameter: the batch alter is matched by a pattern instead. */
    private static final String ALTER = "/v3/clusters/(?<cluster>[^/]+)/topics/(?<topic>[^/]+)/configs:alter";
    private static final Set<String> JSON = Set.of("application/json");

    private final ClusterClients clients;
    private final Replies replies;

    public TopicConfigRoutes(ClusterClients clients, Replies replies) {
        this.clients = clients;
        this.replies = replies;
    }

    public void install(Router router) {
        router.postWithRegex(ALTER).handler(this::alterMany);
        router.get(CONFIGS).handler(ctx -> replies.later(ctx, configs(ctx), c -> {
            JsonArray data = new JsonArray();
            c.config.entries().stream().sorted((a, b) -> a.name().compareTo(b.name()))
                    .forEach(e -> data.add(config(ctx, c.cluster, c.topic, e)));
            return list("KafkaTopicConfigList", url(ctx, "/" + c.cluster + "/topics/" + c.topic + "/configs"), data);
        }));
        router.get(CONFIG).handler(ctx -> replies.later(ctx, configs(ctx), c -> {
            ConfigEntry entry = c.config.get(ctx.pathParam("name"));
            if (entry == null) {
                throw new HttpException(404, "Config " + ctx.pathParam("name") + " cannot be found.");
            }
            return config(ctx, c.cluster, c.topic, entry);
        }));
        router.put(CONFIG).handler(ctx -> {
            Bodies.requireMediaType(ctx, JSON);
            String value = Bodies.object(ctx).getString("value");
            if (value == null) {
                throw new HttpException(40002, "value is required");
            }
            alter(ctx, List.of(new AlterConfigOp(new ConfigEntry(ctx.pathParam("name"), value),
                    AlterConfigOp.OpType.SET)));
        });
        router.delete(CONFIG).handler(ctx -> alter(ctx, List.of(new AlterConfigOp(
                new ConfigEntry(ctx.pathParam("name"), null), AlterConfigOp.OpType.DELETE))));
    }

    private record TopicConfig(String cluster, String topic, Config config) {
    }

    private CompletableFuture<TopicConfig> configs(RoutingContext ctx) {
        String topic = ctx.pathParam("topic");
        ConfigResource resource = topic(topic);
        return Resources.clusterId(clients, ctx.pathParam("cluster")).thenCompose(id -> future(clients.admin()
                .describeConfigs(List.of(resource)).all(), RestErrors::kafkaV3)
                .thenApply(all -> new TopicConfig(id, topic, all.get(resource))));
    }

    private void alterMany(RoutingContext ctx) {
        Bodies.requireMediaType(ctx, JSON);
        JsonArray data = Bodies.object(ctx).getJsonArray("data");
        if (data == null) {
            throw new HttpException(40002, "data is required");
        }
        List<AlterConfigOp> ops = new ArrayList<>();
        for (Object item : data) {
            if (!(item instanceof JsonObject entry) || entry.getString("name") == null) {
                throw new HttpException(40002, "each entry of data needs a name");
            }
            String operation = entry.getString("operation", "SET").toUpperCase(Locale.ROOT);
            switch (operation) {
                case "SET" -> {
                    if (entry.getString("value") == null) {
                        throw new HttpException(40002, "config " + entry.getString("name") + " needs a value");
                    }
                    ops.add(new AlterConfigOp(new ConfigEntry(entry.getString("name"), entry.getString("value")),
                            AlterConfigOp.OpType.SET));
                }
                case "DELETE" -> ops.add(new AlterConfigOp(new ConfigEntry(entry.getString("name"), null),
                        AlterConfigOp.OpType.DELETE));
                default -> throw new HttpException(40002, "operation must be SET or DELETE, not " + operation);
            }
        }
        alter(ctx, ops);
    }

    private void alter(RoutingContext ctx, List<AlterConfigOp> ops) {
        ConfigResource resource = topic(ctx.pathParam("topic"));
        replies.laterNoContent(ctx, Resources.clusterId(clients, ctx.pathParam("cluster")).thenCompose(id ->
                future(clients.admin().incrementalAlterConfigs(Map.of(resource, ops)).all(), RestErrors::kafkaV3)));
    }

    private static ConfigResource topic(String name) {
        return new ConfigResource(ConfigResource.Type.TOPIC, name);
    }

    private static JsonObject config(RoutingContext ctx, String cluster, String topic, ConfigEntry e) {
        String self = url(ctx, "/" + cluster + "/topics/" + topic + "/configs/" + e.name());
        JsonArray synonyms = new JsonArray();
        e.synonyms().forEach(s -> synonyms.add(new JsonObject().put("name", s.name()).put("value", s.value())
                .put("source", s.source().name())));
        return resource("KafkaTopicConfig", self, "crn:///kafka=" + cluster + "/topic=" + topic + "/config="
                + e.name()).put("cluster_id", cluster).put("topic_name", topic).put("name", e.name())
                .put("value", e.isSensitive() ? null : e.value()).put("is_default", e.isDefault())
                .put("is_read_only", e.isReadOnly()).put("is_sensitive", e.isSensitive())
                .put("source", e.source().name()).put("synonyms", synonyms);
    }
}
