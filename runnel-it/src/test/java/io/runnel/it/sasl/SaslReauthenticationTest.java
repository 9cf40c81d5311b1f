package io.runnel.it.sasl;

import io.runnel.it.Await;
import io.runnel.it.RunnelCluster;
import io.runnel.it.compat.SecuredClients;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialDeletion;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code connections.max.reauth.ms} (KIP-368) with kafka-clients over SCRAM-SHA-512: a producer logs in again on its
 * open connection each session and keeps producing; once a user's credential is deleted, that user's producer, whose
 * connection was authenticated before, is refused at its next login instead of being served for as long as the
 * connection lives. KafkaJS logs in again on its connections too. Sessions are each broker's own, so one node shows them.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class SaslReauthenticationTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final long SESSION_MS = 2000;

    private static RunnelCluster cluster;

    @BeforeAll
    static void start() throws Exception {
        cluster = RunnelCluster.builder()
                .listener("SASL_PLAINTEXT", "SASL_PLAINTEXT")
                .brokerProperty("sasl.enabled.mechanisms", "SCRAM-SHA-512")
                .brokerProperty("connections.max.reauth.ms", Long.toString(SESSION_MS))
                .start();
        try (Admin admin = cluster.admin()) {
            admin.alterUserScramCredentials(List.of(
                    new UserScramCredentialUpsertion("frank", new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512,
                            4096), "frank-secret"),
                    new UserScramCredentialUpsertion("eve", new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512,
                            4096), "eve-secret"))).all().get();
        }
        for (String user : List.of("frank", "eve")) {
            Await.awaitCondition(WAIT, () -> !SaslClients.refused(cluster.bootstrapServers("SASL_PLAINTEXT"),
                    login(user)), user + "'s credential in use");
        }
        cluster.createTopic("reauthenticated", 1);
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void aProducerLogsInAgainEachSessionAndKeepsProducing() throws Exception {
        try (KafkaProducer<byte[], byte[]> frank = producer("frank")) {
            send(frank);
            long start = System.nanoTime();
            Await.awaitCondition(WAIT, () -> {
                sendUnchecked(frank);
                return System.nanoTime() - start > TimeUnit.MILLISECONDS.toNanos(3 * SESSION_MS);
            }, "three sessions of producing");
            assertTrue(metric(frank, "successful-reauthentication-total") > 0, "the client logged in again");
            assertTrue(metric(frank, "failed-reauthentication-total") == 0);
        }
    }

    /** KafkaJS logs in again whenever less than ten seconds of its session remain: here before each request. */
    @Test
    void kafkaJsLogsInAgainOnItsConnectionsAndRoundTrips() throws Exception {
        cluster.createTopic("reauthenticated-kafkajs", 2);
        assertEquals(List.of("acknowledged 50", "consumed 50", "same"), SecuredClients.kafkaJs(
                cluster.bootstrapServers("SASL_PLAINTEXT"), "{\"sasl\": {\"mechanism\": \"scram-sha-512\","
                        + " \"username\": \"frank\", \"password\": \"frank-secret\"}}", "reauthenticated-kafkajs", 50));
    }

    @Test
    void aDeletedUsersOpenConnectionIsRefusedAtItsNextLogin() throws Exception {
        try (KafkaProducer<byte[], byte[]> eve = producer("eve")) {
            send(eve);
            try (Admin admin = cluster.admin()) {
                admin.alterUserScramCredentials(List.of(new UserScramCredentialDeletion("eve",
                        ScramMechanism.SCRAM_SHA_512))).all().get();
            }
            Await.awaitCondition(WAIT, () -> {
                try {
                    send(eve);
                    return false;
                } catch (ExecutionException e) {
                    return e.getCause() instanceof SaslAuthenticationException;
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            }, "eve refused once her session ends");
        }
    }

    private static Properties login(String user) {
        return SaslClients.login("SASL_PLAINTEXT", "SCRAM-SHA-512", user, user + "-secret");
    }

    private static KafkaProducer<byte[], byte[]> producer(String user) {
        Properties props = SaslClients.withBootstrap(cluster, "SASL_PLAINTEXT", login(user));
        props.put("max.block.ms", "10000");
        props.put("delivery.timeout.ms", "10000");
        props.put("request.timeout.ms", "5000");
        return cluster.producer(props);
    }

    private static void send(KafkaProducer<byte[], byte[]> producer) throws ExecutionException, InterruptedException {
        producer.send(new ProducerRecord<>("reauthenticated", "v".getBytes(StandardCharsets.UTF_8))).get();
    }

    private static void sendUnchecked(KafkaProducer<byte[], byte[]> producer) {
        try {
            send(producer);
        } catch (ExecutionException | InterruptedException e) {
            throw new IllegalStateException("a send failed while sessions renew", e);
        }
    }

    private static double metric(KafkaProducer<byte[], byte[]> producer, String name) {
        return producer.metrics().entrySet().stream()
                .filter(e -> e.getKey().name().equals(name) && e.getKey().group().equals("producer-metrics"))
                .map(e -> ((Number) e.getValue().metricValue()).doubleValue()).findFirst().orElse(-1.0);
    }
}
