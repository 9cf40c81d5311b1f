package io.runnel.proxy.v3;

import static io.runnel.proxy.ClusterClients.future;
import static io.runnel.proxy.v3.Resources.list;
import static io.runnel.proxy.v3.Resources.related;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartitionInfo;

/**
 * API v3's topics: list, create, describe, delete, and their partitions ({@link TopicConfigRoutes} has their configs). Kafka's refusals are Confluent's
 * v3 answers: 40002 (400) for a topic that exists or a bad partition count, replication factor, name or config, 40403
 * (404) for a topic or partition the cluster does not have.
 */
public final class TopicRoutes {
    private static final String TOPICS = "/v3/clusters/:cluster/topics";
    private static final String TOPIC = TOPICS + "/:topic";
    private static final Set<String> JSON = Set.of("application/json");

    private final ClusterClients clients;
    private final Replies replies;

    public TopicRoutes(ClusterClients clients, Replies replies) {
        this.clients = clients;
        this.replies = replies;
    }

    public void install(Router router) {
        router.get(TOPICS).handler(this::listTopics);
        router.post(TOPICS).handler(this::create);
        router.get(TOPIC).handler(ctx -> replies.later(ctx, cluster(ctx).thenCompose(id -> describe(ctx)
                .thenApply(d -> topic(ctx, id, d))), v -> v));
        router.delete(TOPIC).handler(ctx -> replies.laterNoContent(ctx, cluster(ctx).thenCompose(id -> v3(
                clients.admin().deleteTopics(List.of(ctx.pathParam("topic"))).all()))));
        router.get(TOPIC + "/partitions").handler(ctx -> replies.later(ctx, cluster(ctx).thenCompose(id ->
                describe(ctx).thenApply(d -> {
                    JsonArray data = new JsonArray();
                    d.partitions().forEach(p -> data.add(partition(ctx, id, d.name(), p)));
                    return list("KafkaPartitionList", url(ctx, "/" + id + "/topics/" + d.name() + "/partitions"),
                            data);
                })), v -> v));
        router.get(TOPIC + "/partitions/:partition").handler(ctx -> replies.later(ctx, cluster(ctx).thenCompose(id ->
                describe(ctx).thenApply(d -> partition(ctx, id, d.name(), d.partitions().stream()
                        .filter(p -> String.valueOf(p.partition()).equals(ctx.pathParam("partition"))).findFirst()
                        .orElseThrow(() -> RestErrors.topicPartitionNotHosted())))), v -> v));
    }

    private CompletableFuture<String> cluster(RoutingContext ctx) {
        return Resources.clusterId(clients, ctx.pathParam("cluster"));
    }

    private CompletableFuture<TopicDescription> describe(RoutingContext ctx) {
        return describe(ctx.pathParam("topic"));
    }

    private void listTopics(RoutingContext ctx) {
        replies.later(ctx, cluster(ctx).thenCompose(id -> future(clients.admin().listTopics().names())
                .thenCompose(names -> names.isEmpty() ? CompletableFuture.completedFuture(
                        Map.<String, TopicDescription>of()) : future(clients.admin().describeTopics(names)
                        .allTopicNames()))
                .thenApply(topics -> {
                    JsonArray data = new JsonArray();
                    topics.values().stream().sorted((a, b) -> a.name().compareTo(b.name()))
                            .forEach(d -> data.add(topic(ctx, id, d)));
                    return list("KafkaTopicList", url(ctx, "/" + id + "/topics"), data);
                })), v -> v);
    }

    /** {@code {"topic_name":..,"partitions_count":..,"replication_factor":..,"configs":[{"name":..,"value":..}]}}. */
    private void create(RoutingContext ctx) {
        Bodies.requireMediaType(ctx, JSON);
        JsonObject body = Bodies.object(ctx);
        String name = body.getString("topic_name");
        if (name == null || name.isEmpty()) {
            throw new HttpException(40002, "topic_name is required");
        }
        Integer partitions = body.getInteger("partitions_count");
        Integer replication = body.getInteger("replication_factor");
        Map<String, String> configs = new HashMap<>();
        JsonArray given = body.getJsonArray("configs", new JsonArray());
        for (Object entry : given) {
            JsonObject config = (JsonObject) entry;
            configs.put(config.getString("name"), config.getString("value"));
        }
        NewTopic topic = new NewTopic(name, Optional.ofNullable(partitions),
                Optional.ofNullable(replication).map(Integer::shortValue)).configs(configs);
        CompletableFuture<JsonObject> created = cluster(ctx).thenCompose(id -> v3(clients.admin()
                .createTopics(List.of(topic)).all()).thenCompose(v -> describe(name))
                .thenApply(d -> topic(ctx, id, d)));
        replies.later(ctx, created, json -> json, 201);
    }

    private CompletableFuture<TopicDescription> describe(String name) {
        return v3(clients.admin().describeTopics(List.of(name)).allTopicNames()).thenApply(all -> all.get(name));
    }

    private static JsonObject topic(RoutingContext ctx, String cluster, TopicDescription d) {
        String self = url(ctx, "/" + cluster + "/topics/" + d.name());
        int replication = d.partitions().isEmpty() ? 0 : d.partitions().get(0).replicas().size();
        return resource("KafkaTopic", self, "crn:///kafka=" + cluster + "/topic=" + d.name())
                .put("cluster_id", cluster).put("topic_name", d.name()).put("is_internal", d.isInternal())
                .put("replication_factor", replication).put("partitions_count", d.partitions().size())
                .put("partitions", related(self + "/partitions")).put("configs", related(self + "/configs"))
                .put("partition_reassignments", related(self + "/partitions/-/reassignment"));
    }

    private static JsonObject partition(RoutingContext ctx, String cluster, String topic, TopicPartitionInfo p) {
        String self = url(ctx, "/" + cluster + "/topics/" + topic + "/partitions/" + p.partition());
        JsonObject json = resource("KafkaPartition", self, "crn:///kafka=" + cluster + "/topic=" + topic
                + "/partition=" + p.partition()).put("cluster_id", cluster).put("topic_name", topic)
                .put("partition_id", p.partition());
        json.put("leader", p.leader() == null || p.leader().isEmpty() ? null
                : related(self + "/replicas/" + p.leader().id()));
        return json.put("replicas", related(self + "/replicas")).put("reassignment", related(self + "/reassignment"));
    }

    private static <T> CompletableFuture<T> v3(KafkaFuture<T> future) {
        return future(future, RestErrors::kafkaV3);
    }
}
