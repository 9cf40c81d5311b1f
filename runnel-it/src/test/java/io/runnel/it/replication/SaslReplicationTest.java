package io.runnel.it.replication;

import io.netty.handler.ssl.SslContext;
import io.runnel.broker.interbroker.InterBrokerClient;
import io.runnel.broker.security.InterBrokerSasl;
import io.runnel.broker.security.SslContexts;
import io.runnel.broker.security.SslSettings;
import io.runnel.it.RunnelCluster;
import io.runnel.it.tls.TestPki;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.message.MetadataResponseData;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Three nodes whose inter-broker listener is SASL_SSL with SCRAM-SHA-512 only, as the course sets a cluster up
 * ({@code sasl.mechanism.inter.broker.protocol=SCRAM-SHA-512}): the brokers' user exists from the start because
 * every node was formatted with it ({@code storage format --add-scram}), each broker logs in to the others with the
 * username and password of its listener's ScramLoginModule, and followers replicate and fail over as on PLAINTEXT.
 * A listener that refuses unauthenticated requests means no replica would catch up without the login. The
 * controllers reach each other over mutual TLS (CONTROLLER:SSL with ssl.client.auth=required), so no traffic
 * between the nodes is in plain text.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class SaslReplicationTest {
    private static final String TOPIC = "sasl-replicated";

    private static final short METADATA_VERSION = 12;

    @TempDir
    static Path dir;
    private static TestPki pki;
    private static ThreeNodes nodes;

    @BeforeAll
    static void start() throws Exception {
        pki = TestPki.create(dir);
        nodes = ThreeNodes.start(RunnelCluster.builder().listener("INTERNAL", "SASL_SSL")
                .brokerProperty("listener.security.protocol.map", "CONTROLLER:SSL,PLAINTEXT:PLAINTEXT")
                .brokerProperty("listener.name.controller.ssl.client.auth", "required")
                .scramUser("SCRAM-SHA-512=[name=broker,password=broker-secret]")
                .brokerProperty("inter.broker.listener.name", "INTERNAL")
                .brokerProperty("sasl.enabled.mechanisms", "SCRAM-SHA-512")
                .brokerProperty("sasl.mechanism.inter.broker.protocol", "SCRAM-SHA-512")
                .brokerProperty("listener.name.internal.scram-sha-512.sasl.jaas.config",
                        "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"broker\""
                                + " password=\"broker-secret\";")
                .brokerProperty("ssl.keystore.type", "PKCS12")
                .brokerProperty("ssl.keystore.location", pki.server("broker").keystore("PKCS12").toString())
                .brokerProperty("ssl.keystore.password", TestPki.PASSWORD)
                .brokerProperty("ssl.truststore.type", "PEM")
                .brokerProperty("ssl.truststore.location", pki.caPem().toString()));
    }

    @AfterAll
    static void stop() {
        if (nodes != null) {
            nodes.close();
        }
    }

    @Test
    void followersLogInWithScramAndReplicateAndAStoppedLeaderCatchesUp() throws Exception {
        Properties client = new Properties();
        client.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, nodes.cluster.bootstrapServers());
        LeaderFailover.check(nodes, TOPIC, client);
    }

    @Test
    void onlyTheRightLoginReachesTheInterBrokerListener() throws Exception {
        InetSocketAddress internal = new InetSocketAddress("127.0.0.1", nodes.cluster.server(1).boundPort("INTERNAL"));
        SslContext tls = SslContexts.client(SslSettings.forListener(Map.of(
                "ssl.truststore.type", "PEM", "ssl.truststore.location", pki.caPem().toString()), "INTERNAL"));
        try (InterBrokerClient right = new InterBrokerClient(9, id -> internal, tls,
                new InterBrokerSasl("SCRAM-SHA-512", "broker", "broker-secret"))) {
            assertEquals(3, metadata(right).brokers().size());
        }
        try (InterBrokerClient wrong = new InterBrokerClient(9, id -> internal, tls,
                new InterBrokerSasl("SCRAM-SHA-512", "broker", "not-the-secret"))) {
            ExecutionException e = assertThrows(ExecutionException.class, () -> metadata(wrong));
            assertInstanceOf(SaslAuthenticationException.class, e.getCause(), e.toString());
        }
        try (InterBrokerClient anonymous = new InterBrokerClient(9, id -> internal, tls, null)) {
            assertThrows(ExecutionException.class, () -> metadata(anonymous), "no request before a login");
        }
    }

    private static MetadataResponseData metadata(InterBrokerClient client) throws Exception {
        return (MetadataResponseData) client.send(1, InterBrokerClient.CONTROL,
                new MetadataRequestData().setTopics(List.of()), METADATA_VERSION, 20_000).get();
    }
}
