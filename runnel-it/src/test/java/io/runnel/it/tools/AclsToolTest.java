package io.runnel.it.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.runnel.it.RunnelCluster;
import io.runnel.it.acls.AclUsers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code runnel acls} with kafka-acls.sh's flags against a node with the authorizer on, logged in as the super user
 * through {@code --command-config}: what it adds is what the broker stores, and {@code --list} prints Kafka's format.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class AclsToolTest {
    @TempDir
    static Path dir;
    private static RunnelCluster cluster;
    private static RunnelCli cli;
    private static Path adminConfig;

    @BeforeAll
    static void start() throws Exception {
        cluster = AclUsers.cluster(false).start();
        cli = new RunnelCli(dir);
        adminConfig = dir.resolve("admin.properties");
        StringBuilder props = new StringBuilder();
        AclUsers.as(cluster, "admin").forEach((k, v) -> {
            if (!k.equals("bootstrap.servers")) {
                props.append(k).append('=').append(v).append('\n');
            }
        });
        Files.writeString(adminConfig, props.toString());
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    private static RunnelCli.Result acls(String... args) throws Exception {
        String[] full = new String[args.length + 5];
        full[0] = "acls";
        full[1] = "--bootstrap-server";
        full[2] = cluster.bootstrapServers(AclUsers.LISTENER);
        full[3] = "--command-config";
        full[4] = adminConfig.toString();
        System.arraycopy(args, 0, full, 5, args.length);
        RunnelCli.Result result = cli.run("", full);
        assertEquals(0, result.exitCode(), result.err());
        return result;
    }

    private static Set<AclBinding> stored(ResourceType type) throws Exception {
        try (Admin admin = AclUsers.admin(cluster, "admin")) {
            Set<AclBinding> acls = new HashSet<>(admin.describeAcls(AclBindingFilter.ANY).values().get());
            acls.removeIf(acl -> acl.pattern().resourceType() != type);
            return acls;
        }
    }

    @Test
    void addListAndRemoveInKafkasFormat() throws Exception {
        String pattern = "ResourcePattern(resourceType=TOPIC, name=orders, patternType=LITERAL)";
        assertEquals("Adding ACLs for resource `" + pattern + "`: \n"
                + " \t(principal=User:alice, host=*, operation=WRITE, permissionType=ALLOW)\n"
                + "\t(principal=User:alice, host=*, operation=READ, permissionType=ALLOW)\n\n",
                acls("--add", "--allow-principal", "User:alice", "--operation", "Write", "--operation", "Read",
                        "--topic", "orders").out());
        assertEquals("Current ACLs for resource `" + pattern + "`:\n"
                + "\t(principal=User:alice, host=*, operation=READ, permissionType=ALLOW)\n"
                + "\t(principal=User:alice, host=*, operation=WRITE, permissionType=ALLOW)\n\n",
                acls("--list", "--topic", "orders").out());

        acls("--remove", "--force", "--allow-principal", "User:alice", "--operation", "Write", "--topic", "orders");
        assertEquals("Current ACLs for resource `" + pattern + "`:\n"
                + "\t(principal=User:alice, host=*, operation=READ, permissionType=ALLOW)\n\n",
                acls("--list", "--topic", "orders").out());
        acls("--remove", "--force", "--topic", "orders");
        assertEquals("", acls("--list", "--topic", "orders").out());
    }

    @Test
    void prefixedDenyHostsAndMatchingFilters() throws Exception {
        acls("--add", "--deny-principal", "User:bob", "--deny-host", "10.0.0.9", "--operation", "Describe",
                "--topic", "pay-", "--resource-pattern-type", "prefixed");
        assertEquals("Current ACLs for resource `ResourcePattern(resourceType=TOPIC, name=pay-, patternType=PREFIXED)`:\n"
                + "\t(principal=User:bob, host=10.0.0.9, operation=DESCRIBE, permissionType=DENY)\n\n",
                acls("--list", "--topic", "pay-ments", "--resource-pattern-type", "match").out());
        assertEquals("", acls("--list", "--topic", "pay-ments").out(), "a literal filter takes the exact name only");
        acls("--remove", "--force", "--topic", "pay-", "--resource-pattern-type", "prefixed");
    }

    @Test
    void producerAndConsumerConvenienceOptions() throws Exception {
        acls("--add", "--producer", "--idempotent", "--allow-principal", "User:carol", "--topic", "ledger",
                "--transactional-id", "carol-tx");
        acls("--add", "--consumer", "--allow-principal", "User:dave", "--topic", "ledger", "--group", "dave-group");
        Set<AclOperation> carolTopic = new HashSet<>();
        Set<AclOperation> daveTopic = new HashSet<>();
        stored(ResourceType.TOPIC).forEach(acl -> {
            if (acl.pattern().name().equals("ledger") && acl.pattern().patternType() == PatternType.LITERAL) {
                (acl.entry().principal().equals("User:carol") ? carolTopic : daveTopic).add(acl.entry().operation());
            }
        });
        assertEquals(Set.of(AclOperation.WRITE, AclOperation.DESCRIBE, AclOperation.CREATE), carolTopic);
        assertEquals(Set.of(AclOperation.READ, AclOperation.DESCRIBE), daveTopic);
        assertEquals(List.of(AclOperation.WRITE, AclOperation.DESCRIBE).stream().sorted().toList(),
                stored(ResourceType.TRANSACTIONAL_ID).stream().map(a -> a.entry().operation()).sorted().toList());
        assertEquals(List.of(AclOperation.IDEMPOTENT_WRITE),
                stored(ResourceType.CLUSTER).stream().map(a -> a.entry().operation()).toList());
        assertEquals(List.of(AclOperation.READ),
                stored(ResourceType.GROUP).stream().map(a -> a.entry().operation()).toList());
    }
}
