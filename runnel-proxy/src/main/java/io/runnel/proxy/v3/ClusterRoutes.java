package io.runnel.proxy.v3;

import static io.runnel.proxy.ClusterClients.future;
import static io.runnel.proxy.v3.Resources.list;
import static io.runnel.proxy.v3.Resources.related;
import static io.runnel.proxy.v3.Resources.resource;
import static io.runnel.proxy.v3.Resources.url;

import io.runnel.http.HttpException;
import io.runnel.proxy.ClusterClients;
import io.runnel.proxy.RestErrors;
import io.runnel.proxy.http.Replies;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.DescribeClusterResult;
import org.apache.kafka.clients.admin.ListGroupsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupIdNotFoundException;

/** API v3's cluster, brokers, consumer groups and their lag. */
public final class ClusterRoutes {
    private static final String CLUSTER = "/v3/clusters/:cluster";

    private final ClusterClients clients;
    private final Replies replies;

    public ClusterRoutes(ClusterClients clients, Replies replies) {
        this.clients = clients;
        this.replies = replies;
    }

    public void install(Router router) {
        router.get("/v3/clusters").handler(ctx -> replies.later(ctx, describe(ctx), c -> list("KafkaClusterList",
                url(ctx, ""), new JsonArray().add(cluster(ctx, c.id, c.controller)))));
        router.get(CLUSTER).handler(ctx -> replies.later(ctx, describe(ctx), c -> cluster(ctx, c.id, c.controller)));
        router.get(CLUSTER + "/brokers").handler(ctx -> replies.later(ctx, describe(ctx), c -> {
            JsonArray brokers = new JsonArray();
            c.nodes.stream().sorted((a, b) -> Integer.compare(a.id(), b.id()))
                    .forEach(n -> brokers.add(broker(ctx, c.id, n)));
            return list("KafkaBrokerList", url(ctx, "/" + c.id + "/brokers"), brokers);
        }));
        router.get(CLUSTER + "/brokers/:broker").handler(ctx -> replies.later(ctx, describe(ctx), c -> {
            String asked = ctx.pathParam("broker");
            return broker(ctx, c.id, c.nodes.stream().filter(n -> n.idString().equals(asked)).findFirst()
                    .orElseThrow(() -> new HttpException(404, "Broker " + asked + " cannot be found.")));
        }));
        router.get(CLUSTER + "/consumer-groups").handler(this::groups);
        router.get(CLUSTER + "/consumer-groups/:group").handler(ctx -> replies.later(ctx, describe(ctx)
                .thenCompose(c -> group(ctx.pathParam("group")).thenApply(g -> groupJson(ctx, c.id, g))), v -> v));
        router.get(CLUSTER + "/consumer-groups/:group/lags").handler(this::lags);
    }

    private record Cluster(String id, Node controller, Collection<Node> nodes) {
    }

    /** The cluster; 404 when the path names another one. */
    private CompletableFuture<Cluster> describe(RoutingContext ctx) {
        DescribeClusterResult result = clients.admin().describeCluster();
        CompletableFuture<Node> controller = future(result.controller());
        CompletableFuture<Collection<Node>> nodes = future(result.nodes());
        return Resources.checked(future(result.clusterId()), ctx.pathParam("cluster"))
                .thenCompose(id -> controller.thenCombine(nodes, (c, n) -> new Cluster(id, c, n)));
    }

    private static JsonObject cluster(RoutingContext ctx, String id, Node controller) {
        String self = url(ctx, "/" + id);
        JsonObject cluster = resource("KafkaCluster", self, "crn:///kafka=" + id).put("cluster_id", id);
        if (controller == null || controller.isEmpty()) {
            cluster.putNull("controller");
        } else {
            cluster.put("controller", related(self + "/brokers/" + controller.id()));
        }
        return cluster.put("acls", related(self + "/acls")).put("brokers", related(self + "/brokers"))
                .put("broker_configs", related(self + "/broker-configs"))
                .put("consumer_groups", related(self + "/consumer-groups"))
                .put("topics", related(self + "/topics"))
                .put("partition_reassignments", related(self + "/topics/-/partitions/-/reassignment"));
    }

    private static JsonObject broker(RoutingContext ctx, String cluster, Node node) {
        String self = url(ctx, "/" + cluster + "/brokers/" + node.id());
        return resource("KafkaBroker", self, "crn:///kafka=" + cluster + "/broker=" + node.id())
                .put("cluster_id", cluster).put("broker_id", node.id()).put("host", node.host())
                .put("port", node.port()).put("rack", node.rack()).put("configs", related(self + "/configs"))
                .put("partition_replicas", related(self + "/partition-replicas"));
    }

    private void groups(RoutingContext ctx) {
        replies.later(ctx, describe(ctx).thenCompose(c -> future(clients.admin().listGroups(ListGroupsOptions.forConsumerGroups()).all())
                .thenCompose(listings -> {
                    List<String> ids = listings.stream().map(l -> l.groupId()).sorted().toList();
                    return ids.isEmpty() ? CompletableFuture.completedFuture(Map.<String, ConsumerGroupDescription>of())
                            : future(clients.admin().describeConsumerGroups(ids).all());
                }).thenApply(groups -> {
                    JsonArray data = new JsonArray();
                    groups.values().stream().sorted((a, b) -> a.groupId().compareTo(b.groupId()))
                            .forEach(g -> data.add(groupJson(ctx, c.id, g)));
                    return list("KafkaConsumerGroupList", url(ctx, "/" + c.id + "/consumer-groups"), data);
                })), v -> v);
    }

    private CompletableFuture<ConsumerGroupDescription> group(String id) {
        HttpException notFound = new HttpException(404, "Consumer group " + id + " cannot be found.");
        return future(clients.admin().describeConsumerGroups(List.of(id)).all(),
                failure -> failure instanceof GroupIdNotFoundException ? notFound : RestErrors.kafkaV3(failure))
                .thenApply(all -> {
                    ConsumerGroupDescription group = all.get(id);
                    if (group == null || group.groupState() == GroupState.DEAD) {
                        throw notFound;
                    }
                    return group;
                });
    }

    private static JsonObject groupJson(RoutingContext ctx, String cluster, ConsumerGroupDescription g) {
        String self = url(ctx, "/" + cluster + "/consumer-groups/" + g.groupId());
        JsonObject json = resource("KafkaConsumerGroup", self, "crn:///kafka=" + cluster + "/consumer-group="
                + g.groupId()).put("cluster_id", cluster).put("consumer_group_id", g.groupId())
                .put("is_simple", g.isSimpleConsumerGroup()).put("partition_assignor", g.partitionAssignor())
                .put("state", g.groupState().toString().toUpperCase(Locale.ROOT));
        json.put("coordinator", g.coordinator() == null ? null
                : related(url(ctx, "/" + cluster + "/brokers/" + g.coordinator().id())));
        return json.put("consumers", related(self + "/consumers")).put("lag_summary", related(self + "/lag-summary"));
    }

    /** Each partition the group committed: its committed offset, the log end offset and the difference. */
    private void lags(RoutingContext ctx) {
        String groupId = ctx.pathParam("group");
        replies.later(ctx, describe(ctx).thenCompose(c -> group(groupId).thenCompose(g -> future(clients.admin()
                .listConsumerGroupOffsets(groupId).partitionsToOffsetAndMetadata()).thenCompose(committed -> {
                    Map<TopicPartition, OffsetSpec> ends = new HashMap<>();
                    committed.keySet().forEach(p -> ends.put(p, OffsetSpec.latest()));
                    CompletableFuture<Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo>> latest =
                            ends.isEmpty() ? CompletableFuture.completedFuture(Map.of())
                                    : future(clients.admin().listOffsets(ends).all());
                    return latest.thenApply(end -> {
                        JsonArray data = new JsonArray();
                        committed.entrySet().stream().filter(e -> e.getValue() != null)
                                .sorted(Map.Entry.comparingByKey((a, b) -> a.topic().equals(b.topic())
                                        ? Integer.compare(a.partition(), b.partition()) : a.topic().compareTo(b.topic())))
                                .forEach(e -> data.add(lag(ctx, c.id, g, e.getKey(), e.getValue(),
                                        end.get(e.getKey()).offset())));
                        return list("KafkaConsumerLagList", url(ctx, "/" + c.id + "/consumer-groups/" + groupId
                                + "/lags"), data);
                    });
                }))), v -> v);
    }

    private static JsonObject lag(RoutingContext ctx, String cluster, ConsumerGroupDescription g, TopicPartition p,
                                  OffsetAndMetadata committed, long logEnd) {
        MemberDescription owner = g.members().stream().filter(m -> m.assignment().topicPartitions().contains(p))
                .findFirst().orElse(null);
        String self = url(ctx, "/" + cluster + "/consumer-groups/" + g.groupId() + "/lags/" + p.topic() + "/partitions/"
                + p.partition());
        return resource("KafkaConsumerLag", self, "crn:///kafka=" + cluster + "/consumer-group=" + g.groupId()
                + "/lag=" + p.topic() + "/partition=" + p.partition()).put("cluster_id", cluster)
                .put("consumer_group_id", g.groupId()).put("topic_name", p.topic()).put("partition_id", p.partition())
                .put("current_offset", committed.offset()).put("log_end_offset", logEnd)
                .put("lag", Math.max(0, logEnd - committed.offset()))
                .put("consumer_id", owner == null ? "" : owner.consumerId())
                .put("instance_id", owner == null ? null : owner.groupInstanceId().orElse(null))
                .put("client_id", owner == null ? "" : owner.clientId());
    }
}
