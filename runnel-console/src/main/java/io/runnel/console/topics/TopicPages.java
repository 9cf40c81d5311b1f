package io.runnel.console.topics;

import static io.runnel.console.ConsoleClients.await;
import static io.runnel.console.html.Html.html;

import io.runnel.console.ConsoleClients;
import io.runnel.console.Forms;
import io.runnel.console.groups.GroupOffsets;
import io.runnel.console.html.Html;
import io.runnel.console.html.Html.Safe;
import io.runnel.console.html.Pages;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.config.ConfigResource;

/**
 * Topics: the list (searchable by name) with a form to create one, and a topic's page: partitions with their
 * replicas and offsets, configs editable in place (defaults marked), the consumer groups that read it, and its
 * deletion behind a confirmation page.
 */
public final class TopicPages {
    private final ConsoleClients clients;
    private final Pages pages;

    public TopicPages(ConsoleClients clients, Pages pages) {
        this.clients = clients;
        this.pages = pages;
    }

    public void install(Router router) {
        router.get("/topics").blockingHandler(this::list, false);
        router.post("/topics").blockingHandler(this::create, false);
        router.get("/topics/:topic").blockingHandler(this::show, false);
        router.post("/topics/:topic/configs").blockingHandler(this::alterConfig, false);
        router.get("/topics/:topic/delete").blockingHandler(this::confirmDelete, false);
        router.post("/topics/:topic/delete").blockingHandler(this::delete, false);
    }

    private void list(RoutingContext ctx) {
        String search = Optional.ofNullable(ctx.request().getParam("search")).orElse("").trim();
        List<TopicDescription> topics = Topics.describeAll(clients.admin()).values().stream()
                .filter(t -> t.name().toLowerCase().contains(search.toLowerCase())).toList();
        List<TopicPartition> partitions = topics.stream().flatMap(t -> Topics.partitions(t).stream()).toList();
        Map<TopicPartition, Long> start = Topics.offsets(clients.admin(), partitions, OffsetSpec.earliest());
        Map<TopicPartition, Long> end = Topics.offsets(clients.admin(), partitions, OffsetSpec.latest());
        List<List<?>> rows = new ArrayList<>();
        for (TopicDescription t : topics) {
            long records = Topics.partitions(t).stream()
                    .mapToLong(p -> Math.max(0, end.getOrDefault(p, 0L) - start.getOrDefault(p, 0L))).sum();
            boolean under = t.partitions().stream().anyMatch(Topics::underReplicated);
            rows.add(List.of(Html.link("/topics/" + Html.url(t.name()), t.name()), t.partitions().size(),
                    t.partitions().isEmpty() ? 0 : t.partitions().get(0).replicas().size(), records,
                    under ? html("<span class=\"flag\">yes</span>") : "", t.isInternal() ? "yes" : ""));
        }
        Safe create = pages.form("/topics", "Create a topic", Html.join(List.of(
                Html.input("name", "Name", ""), Html.input("partitions", "Partitions", "1"),
                Html.input("replication", "Replication factor", ""),
                html("<label for=\"f-configs\">Configs (one name=value a line)</label>"
                        + "<textarea id=\"f-configs\" name=\"configs\"></textarea>"))), "Create");
        pages.send(ctx, "Topics", html("<form method=\"get\" action=\"/topics\" class=\"filters\" role=\"search\">"
                        + "<label>Name contains<input name=\"search\" value=\"{}\"></label><button type=\"submit\">"
                        + "Search</button></form>{}{}", search,
                Html.table(List.of("Name", "Partitions", "Replication factor", "Records", "Under-replicated",
                        "Internal"), rows), create));
    }

    private void create(RoutingContext ctx) {
        String name = Forms.required(ctx, "name");
        Optional<Integer> partitions = Forms.optionalInt(ctx, "partitions", 1, 100_000);
        Optional<Short> replication = Forms.optionalInt(ctx, "replication", 1, Short.MAX_VALUE)
                .map(Integer::shortValue);
        NewTopic topic = new NewTopic(name, partitions, replication)
                .configs(Forms.keyValueLines(Forms.optional(ctx, "configs"), "=", "configs"));
        await(clients.admin().createTopics(List.of(topic)).all());
        Pages.redirect(ctx, "/topics/" + Html.url(name), "Created topic " + name);
    }

    private void show(RoutingContext ctx) {
        String name = ctx.pathParam("topic");
        TopicDescription topic = Topics.describe(clients.admin(), name);
        List<TopicPartition> partitions = Topics.partitions(topic);
        Map<TopicPartition, Long> start = Topics.offsets(clients.admin(), partitions, OffsetSpec.earliest());
        Map<TopicPartition, Long> end = Topics.offsets(clients.admin(), partitions, OffsetSpec.latest());
        List<List<?>> partitionRows = new ArrayList<>();
        for (TopicPartitionInfo p : topic.partitions()) {
            TopicPartition tp = new TopicPartition(name, p.partition());
            partitionRows.add(List.of(p.partition(), p.leader() == null || p.leader().isEmpty() ? "none"
                            : p.leader().id(), ids(p.replicas()), ids(p.isr()),
                    Topics.underReplicated(p) ? html("<span class=\"flag\">yes</span>") : "",
                    start.getOrDefault(tp, 0L), end.getOrDefault(tp, 0L)));
        }
        String base = "/topics/" + Html.url(name);
        pages.send(ctx, "Topic " + name, html("<p>{} · {}</p><h2>Partitions</h2>{}<h2>Consumer groups</h2>{}"
                        + "<h2>Configs</h2>{}",
                Html.link(base + "/messages", "Messages"), pages.confirmLink(base + "/delete", "Delete this topic"),
                Html.table(List.of("Partition", "Leader", "Replicas", "In-sync replicas", "Under-replicated",
                        "Start offset", "End offset"), partitionRows),
                groups(name, end), configs(name, base)));
    }

    /** The consumer groups with offsets committed on the topic (by group id), and their lag on it. */
    private Safe groups(String topic, Map<TopicPartition, Long> end) {
        Map<String, Map<TopicPartition, OffsetAndMetadata>> committed = GroupOffsets.committed(clients.admin(),
                GroupOffsets.consumerGroupIds(clients.admin()));
        List<List<?>> rows = new ArrayList<>();
        committed.forEach((group, offsets) -> {
            Map<TopicPartition, OffsetAndMetadata> onTopic = GroupOffsets.onTopic(offsets, topic);
            if (!onTopic.isEmpty()) {
                rows.add(List.of(Html.link("/groups/" + Html.url(group), group), onTopic.size(),
                        GroupOffsets.totalLag(onTopic, end)));
            }
        });
        return Html.table(List.of("Group", "Partitions committed", "Lag"), rows);
    }

    private Safe configs(String topic, String base) {
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        Config config = await(clients.admin().describeConfigs(List.of(resource)).all()).get(resource);
        List<List<?>> rows = new ArrayList<>();
        config.entries().stream().sorted(Comparator.comparing(ConfigEntry::name)).forEach(e -> {
            boolean isDefault = e.isDefault() || e.source() == ConfigEntry.ConfigSource.DEFAULT_CONFIG
                    || e.source() == ConfigEntry.ConfigSource.STATIC_BROKER_CONFIG
                    || e.source() == ConfigEntry.ConfigSource.DYNAMIC_DEFAULT_BROKER_CONFIG;
            String value = e.isSensitive() ? "(hidden)" : e.value() == null ? "" : e.value();
            Safe edit = e.isReadOnly() ? Html.EMPTY : pages.button(base + "/configs", Html.join(List.of(
                    Html.hidden("name", e.name()), html("<input name=\"value\" value=\"{}\" aria-label=\"{}\">",
                            e.isSensitive() ? "" : value, "New value of " + e.name()),
                    Html.hidden("action", "set"))), "Save");
            Safe reset = isDefault || e.isReadOnly() ? Html.EMPTY : pages.button(base + "/configs",
                    Html.join(List.of(Html.hidden("name", e.name()), Html.hidden("action", "reset"))),
                    "Reset to default");
            rows.add(List.of(e.name(), value, isDefault ? html("<span class=\"muted\">default</span>")
                    : e.source().name().toLowerCase(), Html.join(List.of(edit, reset))));
        });
        return Html.table(List.of("Name", "Value", "Source", pages.canWrite() ? "Change" : ""), rows);
    }

    private void alterConfig(RoutingContext ctx) {
        String topic = ctx.pathParam("topic");
        String name = Forms.required(ctx, "name");
        boolean reset = "reset".equals(ctx.request().getFormAttribute("action"));
        AlterConfigOp op = reset ? new AlterConfigOp(new ConfigEntry(name, null), AlterConfigOp.OpType.DELETE)
                : new AlterConfigOp(new ConfigEntry(name, Forms.optional(ctx, "value")), AlterConfigOp.OpType.SET);
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        await(clients.admin().incrementalAlterConfigs(Map.of(resource, List.of(op))).all());
        Pages.redirect(ctx, "/topics/" + Html.url(topic), reset ? "Reset " + name + " to its default"
                : "Set " + name);
    }

    private void confirmDelete(RoutingContext ctx) {
        String topic = ctx.pathParam("topic");
        Topics.describe(clients.admin(), topic);
        pages.send(ctx, "Delete topic " + topic, html("<p class=\"error\">{}</p>{}",
                "Deleting the topic removes all its records for good.",
                pages.button("/topics/" + Html.url(topic) + "/delete", Html.hidden("confirm", topic),
                        "Delete " + topic)));
    }

    private void delete(RoutingContext ctx) {
        String topic = ctx.pathParam("topic");
        if (!topic.equals(ctx.request().getFormAttribute("confirm"))) {
            throw new io.runnel.http.HttpException(400, "Confirm the deletion from the topic's Delete page");
        }
        await(clients.admin().deleteTopics(List.of(topic)).all());
        Pages.redirect(ctx, "/topics", "Deleted topic " + topic);
    }

    private static String ids(List<Node> nodes) {
        return String.join(", ", nodes.stream().map(n -> String.valueOf(n.id())).toList());
    }
}
