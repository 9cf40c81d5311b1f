package io.runnel.it.sasl;

import io.runnel.it.RunnelCluster;
import io.runnel.it.tls.TestPki;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.common.config.SaslConfigs;

import java.util.Properties;

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
}
