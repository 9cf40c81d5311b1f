package io.runnel.console.groups;

import static io.runnel.console.ConsoleClients.await;
import static io.runnel.console.html.Html.html;

import io.runnel.console.ConsoleClients;
import io.runnel.console.Forms;
import io.runnel.console.html.Html;
import io.runnel.console.html.Html.Safe;
import io.runnel.console.html.Pages;
import io.runnel.console.topics.Topics;
import io.runnel.http.HttpException;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Consumer groups: the list with state, protocol, members and lag; a group's members, assignments and per-partition
 * offsets; resetting its offsets while it has no members, as {@code kafka-consumer-groups.sh --reset-offsets} does;
 * and its deletion behind a confirmation page.
 */
public final class GroupPages {
    private final ConsoleClients clients;
    private final Pages pages;

    public GroupPages(ConsoleClients clients, Pages pages) {
        this.clients = clients;
        this.pages = pages;
    }

    public void install(Router router) {
        router.get("/groups").blockingHandler(this::list, false);
        router.get("/groups/:group").blockingHandler(this::show, false);
        router.post("/groups/:group/reset").blockingHandler(this::reset, false);
        router.get("/groups/:group/delete").blockingHandler(this::confirmDelete, false);
        router.post("/groups/:group/delete").blockingHandler(this::delete, false);
    }

    private void list(RoutingContext ctx) {
        List<String> ids = GroupOffsets.consumerGroupIds(clients.admin());
        Map<String, ConsumerGroupDescription> groups = ids.isEmpty() ? Map.of()
                : await(clients.admin().describeConsumerGroups(ids).all());
        Map<String, Map<TopicPartition, OffsetAndMetadata>> committed = GroupOffsets.committed(clients.admin(), ids);
        Set<TopicPartition> partitions = new HashSet<>();
        committed.values().forEach(c -> partitions.addAll(c.keySet()));
        Map<TopicPartition, Long> end = Topics.offsets(clients.admin(), partitions, OffsetSpec.latest());
        List<List<?>> rows = new ArrayList<>();
        for (String id : ids) {
            ConsumerGroupDescription g = groups.get(id);
            rows.add(List.of(Html.link("/groups/" + Html.url(id), id), g.groupState().toString(), protocol(g),
                    g.members().size(), GroupOffsets.totalLag(committed.getOrDefault(id, Map.of()), end)));
        }
        pages.send(ctx, "Consumer groups", Html.table(List.of("Group", "State", "Protocol", "Members", "Lag"),
                rows));
    }

    private static String protocol(ConsumerGroupDescription g) {
        String type = g.type().toString().toLowerCase();
        return g.partitionAssignor() == null || g.partitionAssignor().isEmpty() ? type
                : type + " (" + g.partitionAssignor() + ")";
    }

    private ConsumerGroupDescription describe(String id) {
        ConsumerGroupDescription group = await(clients.admin().describeConsumerGroups(List.of(id)).all()).get(id);
        if (group.groupState() == org.apache.kafka.common.GroupState.DEAD) {
            throw new HttpException(404, "No consumer group " + id);
        }
        return group;
    }

    private void show(RoutingContext ctx) {
        String id = ctx.pathParam("group");
        ConsumerGroupDescription group = describe(id);
        Map<TopicPartition, OffsetAndMetadata> committed = GroupOffsets.committed(clients.admin(), List.of(id))
                .getOrDefault(id, Map.of());
        Map<TopicPartition, MemberDescription> owners = new HashMap<>();
        List<List<?>> memberRows = new ArrayList<>();
        for (MemberDescription m : group.members()) {
            m.assignment().topicPartitions().forEach(p -> owners.put(p, m));
            memberRows.add(List.of(m.consumerId(), m.clientId(), m.host(), String.join(", ", m.assignment()
                    .topicPartitions().stream().sorted(Comparator.comparing(TopicPartition::toString))
                    .map(TopicPartition::toString).toList())));
        }
        Set<TopicPartition> partitions = new HashSet<>(committed.keySet());
        partitions.addAll(owners.keySet());
        Map<TopicPartition, Long> end = Topics.offsets(clients.admin(), partitions, OffsetSpec.latest());
        List<List<?>> offsetRows = new ArrayList<>();
        partitions.stream().sorted(Comparator.comparing(TopicPartition::topic)
                .thenComparingInt(TopicPartition::partition)).forEach(p -> {
                    OffsetAndMetadata c = committed.get(p);
                    MemberDescription owner = owners.get(p);
                    offsetRows.add(List.of(Html.link("/topics/" + Html.url(p.topic()), p.topic()), p.partition(),
                            c == null ? "" : c.offset(), end.getOrDefault(p, 0L),
                            c == null ? "" : GroupOffsets.lag(c, end.get(p)),
                            owner == null ? "" : owner.consumerId()));
                });
        String base = "/groups/" + Html.url(id);
        pages.send(ctx, "Consumer group " + id, html("<dl class=\"facts\"><dt>State</dt><dd>{}</dd>"
                        + "<dt>Protocol</dt><dd>{}</dd><dt>Coordinator</dt><dd>{}</dd><dt>Lag</dt><dd>{}</dd></dl>"
                        + "<p>{}</p><h2>Members</h2>{}<h2>Offsets</h2>{}{}",
                group.groupState(), protocol(group), group.coordinator() == null ? "" : "broker "
                        + group.coordinator().id(), GroupOffsets.totalLag(committed, end),
                pages.confirmLink(base + "/delete", "Delete this group"),
                Html.table(List.of("Member", "Client id", "Host", "Assignment"), memberRows),
                Html.table(List.of("Topic", "Partition", "Committed offset", "End offset", "Lag", "Member"),
                        offsetRows),
                resetForm(base, group, committed)));
    }

    private Safe resetForm(String base, ConsumerGroupDescription group,
                           Map<TopicPartition, OffsetAndMetadata> committed) {
        if (!group.members().isEmpty()) {
            return pages.canWrite() ? html("<p class=\"muted\">{}</p>", "Offsets can be reset once the group is "
                    + "empty: stop its " + group.members().size() + " member(s) first.") : Html.EMPTY;
        }
        List<String> topics = new ArrayList<>(new java.util.TreeSet<>(committed.keySet().stream()
                .map(TopicPartition::topic).toList()));
        return pages.form(base + "/reset", "Reset offsets", Html.join(List.of(
                Html.input("topic", "Topic (empty: every topic the group has offsets on: " + String.join(", ",
                        topics) + ")", ""),
                Html.select("to", "Reset to", List.of("earliest", "latest", "offset", "timestamp"), "earliest"),
                Html.input("offset", "Offset (for offset)", ""),
                Html.input("timestamp", "Timestamp in epoch ms (for timestamp)", ""))), "Reset offsets");
    }

    private void reset(RoutingContext ctx) {
        String id = ctx.pathParam("group");
        ConsumerGroupDescription group = describe(id);
        if (!group.members().isEmpty()) {
            throw new HttpException(409, "The group " + id + " has " + group.members().size() + " active member(s): "
                    + "offsets can only be reset while it is empty. Stop its consumers first.");
        }
        String topic = Forms.optional(ctx, "topic").trim();
        List<TopicPartition> partitions = topic.isEmpty()
                ? List.copyOf(GroupOffsets.committed(clients.admin(), List.of(id)).getOrDefault(id, Map.of()).keySet())
                : Topics.partitions(Topics.describe(clients.admin(), topic));
        if (partitions.isEmpty()) {
            throw new HttpException(400, "topic: the group has no offsets; name the topic to reset");
        }
        String to = Forms.required(ctx, "to");
        Map<TopicPartition, Long> start = Topics.offsets(clients.admin(), partitions, OffsetSpec.earliest());
        Map<TopicPartition, Long> end = Topics.offsets(clients.admin(), partitions, OffsetSpec.latest());
        Map<TopicPartition, Long> target = switch (to) {
            case "earliest" -> start;
            case "latest" -> end;
            case "offset" -> {
                long offset = Forms.optionalLong(ctx, "offset", 0, Long.MAX_VALUE)
                        .orElseThrow(() -> new HttpException(400, "offset: a value is required"));
                Map<TopicPartition, Long> clamped = new HashMap<>();
                partitions.forEach(p -> clamped.put(p, Math.min(end.get(p), Math.max(start.get(p), offset))));
                yield clamped;
            }
            case "timestamp" -> {
                long timestamp = Forms.optionalLong(ctx, "timestamp", 0, Long.MAX_VALUE)
                        .orElseThrow(() -> new HttpException(400, "timestamp: a value is required"));
                Map<TopicPartition, Long> byTime = new HashMap<>(Topics.offsets(clients.admin(), partitions,
                        OffsetSpec.forTimestamp(timestamp)));
                // No record that late: the end, as kafka-consumer-groups.sh --to-datetime does.
                byTime.replaceAll((p, o) -> o < 0 ? end.get(p) : o);
                yield byTime;
            }
            default -> throw new HttpException(400, "to: '" + to + "' must be earliest, latest, offset or timestamp");
        };
        Map<TopicPartition, OffsetAndMetadata> offsets = new TreeMap<>(Comparator.comparing(TopicPartition::toString));
        target.forEach((p, o) -> offsets.put(p, new OffsetAndMetadata(o)));
        await(clients.admin().alterConsumerGroupOffsets(id, offsets).all());
        Pages.redirect(ctx, "/groups/" + Html.url(id), "Reset " + offsets.size() + " partition(s) to " + to);
    }

    private void confirmDelete(RoutingContext ctx) {
        String id = ctx.pathParam("group");
        describe(id);
        pages.send(ctx, "Delete consumer group " + id, html("<p class=\"error\">{}</p>{}",
                "Deleting the group removes its committed offsets; it must have no members.",
                pages.button("/groups/" + Html.url(id) + "/delete", Html.hidden("confirm", id), "Delete " + id)));
    }

    private void delete(RoutingContext ctx) {
        String id = ctx.pathParam("group");
        if (!id.equals(ctx.request().getFormAttribute("confirm"))) {
            throw new HttpException(400, "Confirm the deletion from the group's Delete page");
        }
        await(clients.admin().deleteConsumerGroups(List.of(id)).all());
        Pages.redirect(ctx, "/groups", "Deleted consumer group " + id);
    }
}
