package io.runnel.it.sasl;

import io.runnel.it.Await;
import io.runnel.it.RunnelCluster;
import io.runnel.it.tls.TestPki;
import io.runnel.tools.Runnel;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialAlteration;
import org.apache.kafka.clients.admin.UserScramCredentialDeletion;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.clients.admin.UserScramCredentialsDescription;
import org.apache.kafka.common.config.SslConfigs;
import org.apache.kafka.common.errors.DuplicateResourceException;
import org.apache.kafka.common.errors.ResourceNotFoundException;
import org.apache.kafka.common.errors.UnacceptableCredentialException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * SCRAM-SHA-256 and SCRAM-SHA-512 on a three-node cluster: users created through AlterUserScramCredentials (Admin)
 * log in on every broker, each checking its own metadata image, over SASL_PLAINTEXT and SASL_SSL; a wrong password
 * and an unknown user are refused; DescribeUserScramCredentials shows mechanisms and iterations; a deleted
 * credential no longer logs in; Kafka's errors for too few iterations, a user altered twice and the deletion of a
 * credential that does not exist; runnel configs --entity-type users adds, describes and deletes a credential as
 * kafka-configs.sh does.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class SaslScramTest {
    private static final int RECORDS = 100;
    private static final Duration WAIT = Duration.ofSeconds(90);

    @TempDir
    static Path dir;
    private static TestPki pki;
    private static RunnelCluster cluster;

    @BeforeAll
    static void start() throws Exception {
        pki = TestPki.create(dir);
        cluster = SaslClients.plainListeners(pki).nodes(3)
                .brokerProperty("sasl.enabled.mechanisms", "SCRAM-SHA-512,SCRAM-SHA-256,PLAIN")
                .brokerProperty("sasl.jaas.config", SaslClients.BROKER_PLAIN_JAAS)
                .start();
        try (Admin admin = cluster.admin()) {
            admin.alterUserScramCredentials(List.of(
                    upsert("alice", ScramMechanism.SCRAM_SHA_256, 8192, "alice-secret"),
                    upsert("bob", ScramMechanism.SCRAM_SHA_512, 4096, "bob-secret"))).all().get();
        }
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void scramSha256RoundTripOverSaslPlaintext() throws Exception {
        Properties alice = SaslClients.login("SASL_PLAINTEXT", "SCRAM-SHA-256", "alice", "alice-secret");
        awaitLogsInOnEveryBroker("SASL_PLAINTEXT", alice);
        SaslClients.roundTrip(cluster, "scram-256", "SASL_PLAINTEXT", alice, alice, RECORDS);
    }

    @Test
    void scramSha512RoundTripOverSaslSsl() throws Exception {
        Properties bob = overTls(SaslClients.login("SASL_SSL", "SCRAM-SHA-512", "bob", "bob-secret"));
        awaitLogsInOnEveryBroker("SASL_SSL", bob);
        SaslClients.roundTrip(cluster, "scram-512", "SASL_SSL", bob, bob, RECORDS);
    }

    @Test
    void aWrongPasswordAnUnknownUserAndAnotherMechanismAreRefused() throws Exception {
        awaitLogsInOnEveryBroker("SASL_PLAINTEXT", SaslClients.login("SASL_PLAINTEXT", "SCRAM-SHA-256", "alice", "alice-secret"));
        assertRefused(SaslClients.login("SASL_PLAINTEXT", "SCRAM-SHA-256", "alice", "not-alice-secret"));
        assertRefused(SaslClients.login("SASL_PLAINTEXT", "SCRAM-SHA-256", "mallory", "alice-secret"));
        // alice has a SCRAM-SHA-256 credential only
        assertRefused(SaslClients.login("SASL_PLAINTEXT", "SCRAM-SHA-512", "alice", "alice-secret"));
    }

    @Test
    void describeShowsMechanismsAndIterations() throws Exception {
        try (Admin admin = cluster.admin()) {
            Map<String, UserScramCredentialsDescription> described =
                    admin.describeUserScramCredentials(List.of("alice", "bob")).all().get();
            assertEquals(List.of(new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_256, 8192)),
                    described.get("alice").credentialInfos());
            assertEquals(List.of(new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 4096)),
                    described.get("bob").credentialInfos());
            ExecutionException e = assertThrows(ExecutionException.class,
                    () -> admin.describeUserScramCredentials(List.of("nobody")).description("nobody").get());
            assertInstanceOf(ResourceNotFoundException.class, e.getCause());
        }
    }

    @Test
    void aUserCreatedAtRunTimeLogsInAndOnceDeletedNoLonger() throws Exception {
        Properties carol = SaslClients.login("SASL_PLAINTEXT", "SCRAM-SHA-512", "carol", "carol-secret");
        try (Admin admin = cluster.admin()) {
            admin.alterUserScramCredentials(List.of(upsert("carol", ScramMechanism.SCRAM_SHA_512, 4096,
                    "carol-secret"))).all().get();
            awaitLogsInOnEveryBroker("SASL_PLAINTEXT", carol);
            admin.alterUserScramCredentials(List.of(new UserScramCredentialDeletion("carol",
                    ScramMechanism.SCRAM_SHA_512))).all().get();
        }
        for (int node : cluster.nodeIds()) {
            Await.awaitCondition(WAIT, () -> SaslClients.refused(nodeBootstrap(node, "SASL_PLAINTEXT"), carol),
                    "carol refused by node " + node);
        }
    }

    @Test
    void kafkasErrorsForBadAlterations() throws Exception {
        try (Admin admin = cluster.admin()) {
            ExecutionException tooFew = assertThrows(ExecutionException.class, () -> admin.alterUserScramCredentials(
                    List.of(upsert("dave", ScramMechanism.SCRAM_SHA_256, 1000, "dave-secret"))).all().get());
            assertInstanceOf(UnacceptableCredentialException.class, tooFew.getCause());
            assertEquals("Too few iterations", tooFew.getCause().getMessage());
            ExecutionException missing = assertThrows(ExecutionException.class, () -> admin.alterUserScramCredentials(
                    List.of(new UserScramCredentialDeletion("dave", ScramMechanism.SCRAM_SHA_256))).all().get());
            assertInstanceOf(ResourceNotFoundException.class, missing.getCause());
            assertEquals("Attempt to delete a user credential that does not exist", missing.getCause().getMessage());
            ExecutionException twice = assertThrows(ExecutionException.class, () -> admin.alterUserScramCredentials(
                    List.of(upsert("erin", ScramMechanism.SCRAM_SHA_256, 4096, "erin-secret"),
                            upsert("erin", ScramMechanism.SCRAM_SHA_512, 4096, "erin-secret"))).all().get());
            assertInstanceOf(DuplicateResourceException.class, twice.getCause());
            ExecutionException neither = assertThrows(ExecutionException.class,
                    () -> admin.describeUserScramCredentials(List.of("erin")).description("erin").get());
            assertInstanceOf(ResourceNotFoundException.class, neither.getCause(), "erin was not created at all");
        }
    }

    /** runnel configs, as kafka-configs.sh, logged in as the PLAIN admin through --command-config. */
    @Test
    void runnelConfigsAddsDescribesAndDeletesAUsersCredential() throws Exception {
        Path adminLogin = dir.resolve("admin.properties");
        Properties admin = SaslClients.login("SASL_PLAINTEXT", "PLAIN", "admin", "admin-secret");
        try (var out = Files.newBufferedWriter(adminLogin)) {
            admin.store(out, null);
        }
        String[] connection = {"--bootstrap-server", cluster.bootstrapServers("SASL_PLAINTEXT"), "--command-config",
                adminLogin.toString(), "--entity-type", "users"};
        assertEquals("Completed updating config for user frank.\n", runnel(connection, "--entity-name", "frank",
                "--alter", "--add-config", "SCRAM-SHA-512=[iterations=8192,password=frank-secret]"));
        Properties frank = SaslClients.login("SASL_PLAINTEXT", "SCRAM-SHA-512", "frank", "frank-secret");
        awaitLogsInOnEveryBroker("SASL_PLAINTEXT", frank);
        assertEquals("SCRAM credential configs for user-principal 'frank' are SCRAM-SHA-512=iterations=8192\n",
                runnel(connection, "--entity-name", "frank", "--describe"));
        assertEquals("Completed updating config for user frank.\n", runnel(connection, "--entity-name", "frank",
                "--alter", "--delete-config", "SCRAM-SHA-512"));
        for (int node : cluster.nodeIds()) {
            Await.awaitCondition(WAIT, () -> SaslClients.refused(nodeBootstrap(node, "SASL_PLAINTEXT"), frank),
                    "frank refused by node " + node);
        }
        // As kafka-configs.sh: the client leaves a user without credentials out of the described users.
        assertEquals("", runnel(connection, "--entity-name", "frank", "--describe"));
    }

    private static String runnel(String[] connection, String... args) {
        String[] all = new String[connection.length + args.length + 1];
        all[0] = "configs";
        System.arraycopy(connection, 0, all, 1, connection.length);
        System.arraycopy(args, 0, all, connection.length + 1, args.length);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Runnel.commandLine().setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true)).execute(all);
        assertEquals(0, code, "runnel " + String.join(" ", all) + ": " + err);
        return out.toString();
    }

    private static UserScramCredentialAlteration upsert(String user, ScramMechanism mechanism, int iterations,
                                                        String password) {
        return new UserScramCredentialUpsertion(user, new ScramCredentialInfo(mechanism, iterations), password);
    }

    private static Properties overTls(Properties login) {
        login.put(SslConfigs.SSL_TRUSTSTORE_LOCATION_CONFIG, pki.caPem().toString());
        login.put(SslConfigs.SSL_TRUSTSTORE_TYPE_CONFIG, "PEM");
        return login;
    }

    /** Credentials reach each broker with its metadata image: each one is asked in turn until it accepts them. */
    private static void awaitLogsInOnEveryBroker(String listener, Properties login) {
        for (int node : cluster.nodeIds()) {
            Await.awaitCondition(WAIT, () -> !SaslClients.refused(nodeBootstrap(node, listener), login),
                    login.get("sasl.jaas.config") + " accepted by node " + node);
        }
    }

    private static String nodeBootstrap(int node, String listener) {
        return "127.0.0.1:" + cluster.server(node).boundPort(listener);
    }

    private static void assertRefused(Properties login) {
        for (int node : cluster.nodeIds()) {
            assertEquals(true, SaslClients.refused(nodeBootstrap(node, "SASL_PLAINTEXT"), login), "refused by node " + node);
        }
    }
}
