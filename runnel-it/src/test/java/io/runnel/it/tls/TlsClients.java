package io.runnel.it.tls;

import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.common.config.SslConfigs;

import java.nio.file.Path;
import java.util.Properties;

/** kafka-clients settings for the tests' TLS clients, with Kafka's keys. */
public final class TlsClients {
    private TlsClients() {
    }

    /** SSL, trusting the authority through a truststore file of the given type (JKS, PKCS12 or PEM). */
    public static Properties trusting(Path truststore, String type) {
        Properties props = new Properties();
        props.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SSL");
        props.put(SslConfigs.SSL_TRUSTSTORE_LOCATION_CONFIG, truststore.toString());
        props.put(SslConfigs.SSL_TRUSTSTORE_TYPE_CONFIG, type);
        if (!type.equals("PEM")) {
            props.put(SslConfigs.SSL_TRUSTSTORE_PASSWORD_CONFIG, TestPki.PASSWORD);
        }
        return props;
    }

    /** The same, presenting the identity's certificate from a PKCS12 keystore. */
    public static Properties withCertificate(Properties trusting, TestPki.Identity identity) {
        Properties props = new Properties();
        props.putAll(trusting);
        props.put(SslConfigs.SSL_KEYSTORE_LOCATION_CONFIG, identity.keystore("PKCS12").toString());
        props.put(SslConfigs.SSL_KEYSTORE_TYPE_CONFIG, "PKCS12");
        props.put(SslConfigs.SSL_KEYSTORE_PASSWORD_CONFIG, TestPki.PASSWORD);
        props.put(SslConfigs.SSL_KEY_PASSWORD_CONFIG, TestPki.PASSWORD);
        return props;
    }

    /** Fails fast: a refused client should not retry for the default minute. */
    public static Properties failingFast(Properties props) {
        Properties result = new Properties();
        result.putAll(props);
        result.put(CommonClientConfigs.DEFAULT_API_TIMEOUT_MS_CONFIG, "8000");
        result.put(CommonClientConfigs.REQUEST_TIMEOUT_MS_CONFIG, "4000");
        result.put("max.block.ms", "8000");
        return result;
    }
}
