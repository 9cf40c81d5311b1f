package io.runnel.tools;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.Node;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Callable;

/**
 * {@code runnel broker-api-versions}: kafka-broker-api-versions.sh. For every broker of the cluster, the API
 * versions it advertises, one API per line with the newest version this client could use
 * ({@code \tProduce(0): 3 to 13 [usable: 13],}), exactly as Kafka's tool prints them.
 */
@Command(name = "broker-api-versions", mixinStandardHelpOptions = true,
        description = "Print the API versions every broker supports.")
final class BrokerApiVersionsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    AdminOptions connection;

    @Override
    public Integer call() throws Exception {
        Properties props = connection.adminProperties();
        List<Node> brokers;
        try (Admin admin = Admin.create(props)) {
            brokers = admin.describeCluster().nodes().get().stream().sorted(Comparator.comparingInt(Node::id)).toList();
        }
        PrintWriter out = spec.commandLine().getOut();
        try (NodeApiVersionsLookup lookup = new NodeApiVersionsLookup(props)) {
            for (Node broker : brokers) {
                String versions;
                try {
                    versions = lookup.apiVersions(broker).toString(true);
                } catch (RuntimeException e) {
                    versions = "ERROR: " + e.getMessage();
                }
                out.print(broker + " -> " + versions + "\n");
            }
        }
        out.flush();
        return 0;
    }
}
