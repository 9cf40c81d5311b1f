package io.runnel.proxy.v2;

import static io.runnel.proxy.ClusterClients.future;

import io.runnel.proxy.ClusterClients;
import io.runnel.proxy.RestErrors;
import io.runnel.proxy.http.Replies;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.TreeSet;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.config.ConfigResource;

/** API v2's metadata: topics, their configs and partitions, brokers, as Confluent's proxy answers them. */
public final class MetadataRoutes {
    private final ClusterClients clients;
    private final Replies replies;

    public MetadataRoutes(ClusterClients clients, Replies replies) {
        this.clients = clients;
        this.replies = replies;
    }

    public void install(Router router) {
        router.get("/topics").handler(ctx -> replies.later(ctx, future(clients.admin().listTopics().names()),
                names -> new JsonArray(List.copyOf(new TreeSet<>(names)))));
        router.get("/topics/:topic").handler(this::describeTopic);
        router.get("/topics/:topic/partitions").handler(ctx -> replies.later(ctx, clients.describe(topic(ctx)),
                description -> {
                    JsonArray partitions = new JsonArray();
                    description.partitions().forEach(p -> partitions.add(partition(p)));
                    return partitions;
                }));
        router.get("/topics/:topic/partitions/:partition").handler(ctx -> {
            int partition = partitionParam(ctx);
            replies.later(ctx, clients.describe(topic(ctx)), description -> partition(find(description, partition)));
        });
        router.get("/brokers").handler(ctx -> replies.later(ctx, future(clients.admin().describeCluster().nodes()),
                nodes -> new JsonObject().put("brokers", new JsonArray(nodes.stream().map(Node::id).sorted()
                        .toList()))));
    }

    private void describeTopic(RoutingContext ctx) {
        String topic = topic(ctx);
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        replies.later(ctx, clients.describe(topic).thenCombine(
                future(clients.admin().describeConfigs(List.of(resource)).all()), (description, configs) -> {
                    JsonObject values = new JsonObject();
                    Config config = configs.get(resource);
                    config.entries().stream().filter(e -> e.value() != null)
                            .forEach(e -> values.put(e.name(), e.value()));
                    JsonArray partitions = new JsonArray();
                    description.partitions().forEach(p -> partitions.add(partition(p)));
                    return new JsonObject().put("name", topic).put("configs", values).put("partitions", partitions);
                }), v -> v);
    }

    static String topic(RoutingContext ctx) {
        return ctx.pathParam("topic");
    }

    /** A partition path parameter: 40402 for anything that is not a partition number. */
    static int partitionParam(RoutingContext ctx) {
        try {
            int partition = Integer.parseInt(ctx.pathParam("partition"));
            if (partition >= 0) {
                return partition;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw RestErrors.partitionNotFound();
    }

    static TopicPartitionInfo find(TopicDescription description, int partition) {
        return description.partitions().stream().filter(p -> p.partition() == partition).findFirst()
                .orElseThrow(RestErrors::partitionNotFound);
    }

    static JsonObject partition(TopicPartitionInfo p) {
        int leader = p.leader() == null ? -1 : p.leader().id();
        JsonArray replicas = new JsonArray();
        for (Node replica : p.replicas()) {
            replicas.add(new JsonObject().put("broker", replica.id()).put("leader", replica.id() == leader)
                    .put("in_sync", p.isr().stream().anyMatch(n -> n.id() == replica.id())));
        }
        return new JsonObject().put("partition", p.partition()).put("leader", leader).put("replicas", replicas);
    }
}
