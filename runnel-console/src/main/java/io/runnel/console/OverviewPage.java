package io.runnel.console;

import static io.runnel.console.ConsoleClients.await;
import static io.runnel.console.html.Html.html;

import io.runnel.console.html.Html;
import io.runnel.console.html.Pages;
import io.runnel.console.topics.Topics;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.DescribeClusterResult;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartitionInfo;

/** The cluster at a glance: its id, its controller, its brokers and the health of its partitions. */
final class OverviewPage {
    private final ConsoleClients clients;
    private final Pages pages;

    OverviewPage(ConsoleClients clients, Pages pages) {
        this.clients = clients;
        this.pages = pages;
    }

    void install(Router router) {
        router.get("/").blockingHandler(this::show, false);
    }

    private void show(RoutingContext ctx) {
        DescribeClusterResult cluster = clients.admin().describeCluster();
        String clusterId = await(cluster.clusterId());
        Node controller = await(cluster.controller());
        Collection<Node> nodes = await(cluster.nodes());
        Collection<TopicDescription> topics = Topics.describeAll(clients.admin()).values();
        int partitions = 0;
        int underReplicated = 0;
        int offline = 0;
        Map<Integer, Integer> led = new HashMap<>();
        for (TopicDescription topic : topics) {
            for (TopicPartitionInfo p : topic.partitions()) {
                partitions++;
                if (Topics.underReplicated(p)) {
                    underReplicated++;
                }
                if (p.leader() == null || p.leader().isEmpty()) {
                    offline++;
                } else {
                    led.merge(p.leader().id(), 1, Integer::sum);
                }
            }
        }
        List<List<?>> rows = new ArrayList<>();
        nodes.stream().sorted(Comparator.comparingInt(Node::id)).forEach(n -> rows.add(List.of(n.id(),
                n.host() + ":" + n.port(), n.hasRack() ? n.rack() : "", led.getOrDefault(n.id(), 0),
                controller != null && controller.id() == n.id() ? "yes" : "")));
        pages.send(ctx, "Cluster overview", html("<dl class=\"facts\"><dt>Cluster id</dt><dd>{}</dd>"
                        + "<dt>Controller</dt><dd>{}</dd><dt>Brokers</dt><dd>{}</dd><dt>Topics</dt><dd>{}</dd>"
                        + "<dt>Partitions</dt><dd>{}</dd><dt>Under-replicated partitions</dt><dd>{}</dd>"
                        + "<dt>Offline partitions</dt><dd>{}</dd></dl><h2>Brokers</h2>{}",
                clusterId, controller == null || controller.isEmpty() ? "none" : "broker " + controller.id(),
                nodes.size(), topics.size(), partitions, flagged(underReplicated), flagged(offline),
                Html.table(List.of("Broker", "Address", "Rack", "Partitions led", "Controller"), rows)));
    }

    private static Html.Safe flagged(int count) {
        return count == 0 ? html("{}", count) : html("<span class=\"flag\">{}</span>", count);
    }
}
