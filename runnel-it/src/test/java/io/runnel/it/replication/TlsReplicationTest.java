package io.runnel.it.replication;

import io.runnel.it.RunnelCluster;
import io.runnel.it.tls.TestPki;
import io.runnel.it.tls.TlsClients;
import org.apache.kafka.clients.CommonClientConfigs;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * Three nodes whose inter-broker listener is SSL with {@code ssl.client.auth=required}: followers fetch over TLS
 * presenting the broker's own certificate (and check the leader's against 127.0.0.1, the default
 * {@code ssl.endpoint.identification.algorithm=https}). Records produced over TLS with acks=all reach every
 * replica; when the leader stops, another leads with every acknowledged record, and the stopped node, started
 * again, catches up and rejoins the ISR.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class TlsReplicationTest {
    private static final String TOPIC = "tls-replicated";

    @TempDir
    static Path dir;
    private static TestPki pki;
    private static ThreeNodes nodes;

    @BeforeAll
    static void start() throws Exception {
        pki = TestPki.create(dir);
        TestPki.Identity broker = pki.server("broker");
        nodes = ThreeNodes.start(RunnelCluster.builder().sslListener()
                .brokerProperty("inter.broker.listener.name", "SSL")
                .brokerProperty("ssl.client.auth", "required")
                .brokerProperty("ssl.keystore.type", "PKCS12")
                .brokerProperty("ssl.keystore.location", broker.keystore("PKCS12").toString())
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
    void followersReplicateOverTlsAndAStoppedLeaderCatchesUp() throws Exception {
        LeaderFailover.check(nodes, TOPIC, sslClient());
    }

    private static Properties sslClient() {
        Properties props = TlsClients.withCertificate(TlsClients.trusting(pki.caPem(), "PEM"),
                pki.client("app", "CN=app,O=Runnel"));
        props.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, nodes.cluster.bootstrapServers("SSL"));
        return props;
    }
}
