package io.runnel.it.sasl;

import io.runnel.it.RunnelCluster;
import io.runnel.it.TopicReader;
import io.runnel.it.tls.TestPki;
import io.runnel.it.tls.TlsClients;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.errors.SaslAuthenticationException;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The tests' SASL users and the kafka-clients settings that log in as one of them, with Kafka's keys. */
public final class SaslClients {
    /** A broker's PLAIN users as Kafka's documentation writes them: admin (also the broker's own login) and alice. */
    public static final String BROKER_PLAIN_JAAS = "org.apache.kafka.common.security.plain.PlainLoginModule required "
            + "username=\"admin\" password=\"admin-secret\" user_admin=\"admin-secret\" user_alice=\"alice-secret\";";

    private SaslClients() {
    }

    /**
     * A node with a SASL_PLAINTEXT and a SASL_SSL listener beside PLAINTEXT, both offering PLAIN, the SASL_SSL one
     * with the broker keystore of {@code pki}; the users' JAAS configurations are the caller's broker properties.
     */
    public static RunnelCluster.Builder plainListeners(TestPki pki) {
        return RunnelCluster.builder()
                .listener("SASL_PLAINTEXT", "SASL_PLAINTEXT")
                .listener("SASL_SSL", "SASL_SSL")
                .brokerProperty("sasl.enabled.mechanisms", "PLAIN")
                .brokerProperty("ssl.keystore.location", pki.server("broker").keystore("PKCS12").toString())
                .brokerProperty("ssl.keystore.type", "PKCS12")
                .brokerProperty("ssl.keystore.password", TestPki.PASSWORD);
    }

    /** {@code securityProtocol} (SASL_PLAINTEXT or SASL_SSL) with {@code mechanism}, logging in as user / password. */
    public static Properties login(String securityProtocol, String mechanism, String user, String password) {
        Properties props = new Properties();
        props.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, securityProtocol);
        props.put(SaslConfigs.SASL_MECHANISM, mechanism);
        String module = mechanism.equals("PLAIN") ? "org.apache.kafka.common.security.plain.PlainLoginModule"
                : "org.apache.kafka.common.security.scram.ScramLoginModule";
        props.put(SaslConfigs.SASL_JAAS_CONFIG, module + " required username=\"" + user + "\" password=\""
                + password + "\";");
        return props;
    }

    /**
     * Whether the broker at {@code bootstrap} refuses the login (SaslAuthenticationException); a failure other than
     * a refusal fails the caller.
     */
    public static boolean refused(String bootstrap, Properties login) {
        Properties props = TlsClients.failingFast(login);
        props.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (Admin admin = Admin.create(props)) {
            admin.describeCluster().nodes().get();
            return false;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof SaslAuthenticationException) {
                return true;
            }
            throw new IllegalStateException("neither accepted nor refused", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The login's settings with the cluster's addresses on the listener. */
    public static Properties withBootstrap(RunnelCluster cluster, String listener, Properties login) {
        Properties props = new Properties();
        props.putAll(login);
        props.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers(listener));
        return props;
    }

    /**
     * Produces {@code records} records to a new two-partition topic over the listener as one login, and reads them
     * back as another: every record, the same.
     */
    static void roundTrip(RunnelCluster cluster, String topic, String listener, Properties producerLogin,
                          Properties consumerLogin, int records) {
        cluster.createTopic(topic, 2);
        Properties producerProps = withBootstrap(cluster, listener, producerLogin);
        producerProps.put("acks", "all");
        List<String> expected = new ArrayList<>();
        try (KafkaProducer<byte[], byte[]> producer = cluster.producer(producerProps)) {
            for (int i = 0; i < records; i++) {
                producer.send(new ProducerRecord<>(topic, i % 2, null, ("value-" + i).getBytes(StandardCharsets.UTF_8)));
                expected.add("value-" + i);
            }
        }
        List<String> read = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = cluster.consumer(withBootstrap(cluster, listener, consumerLogin))) {
            TopicReader.readAll(consumer, TopicReader.partitions(topic, 2), Duration.ofSeconds(60),
                    r -> read.add(new String(r.value(), StandardCharsets.UTF_8)));
        }
        expected.sort(null);
        read.sort(null);
        assertEquals(expected, read);
    }
}
