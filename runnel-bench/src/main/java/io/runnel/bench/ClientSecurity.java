package io.runnel.bench;

import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * How the measured clients reach the brokers when a workload is secured: a listener named SECURE speaking SSL, or
 * SASL_SSL with the PLAIN mechanism, in the property names Kafka and Runnel both read. The Admin client that creates
 * the topics and the replicas between brokers stay on PLAINTEXT: the figures are the clients' traffic.
 */
record ClientSecurity(String protocol, BenchTls tls) {
    static final String LISTENER = "SECURE";
    private static final String USER = "bench";

    ClientSecurity {
        if (!protocol.equals("SSL") && !protocol.equals("SASL_SSL")) {
            throw new IllegalArgumentException("protocol " + protocol + ": SSL or SASL_SSL");
        }
    }

    private boolean sasl() {
        return protocol.equals("SASL_SSL");
    }

    /** How a result names it: "SSL", "SASL_SSL (PLAIN)". */
    String label() {
        return sasl() ? protocol + " (PLAIN)" : protocol;
    }

    /** The server properties of the SECURE listener, besides its entries in listeners and the protocol map. */
    Map<String, String> serverConfig() {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("ssl.keystore.type", "PKCS12");
        config.put("ssl.keystore.location", tls.keystore().toString());
        config.put("ssl.keystore.password", BenchTls.PASSWORD);
        config.put("ssl.key.password", BenchTls.PASSWORD);
        if (sasl()) {
            String prefix = "listener.name." + LISTENER.toLowerCase(Locale.ROOT) + ".";
            config.put(prefix + "sasl.enabled.mechanisms", "PLAIN");
            config.put(prefix + "plain.sasl.jaas.config", "org.apache.kafka.common.security.plain.PlainLoginModule"
                    + " required username=\"" + USER + "\" password=\"" + BenchTls.PASSWORD + "\" user_" + USER
                    + "=\"" + BenchTls.PASSWORD + "\";");
        }
        return config;
    }

    /** Writes the clients' configuration to {@code file}, for the tools' --command-config. */
    void writeClientConfig(Path file) throws IOException {
        Properties p = new Properties();
        p.setProperty("security.protocol", protocol);
        p.setProperty("ssl.truststore.type", "PKCS12");
        p.setProperty("ssl.truststore.location", tls.truststore().toString());
        p.setProperty("ssl.truststore.password", BenchTls.PASSWORD);
        if (sasl()) {
            p.setProperty("sasl.mechanism", "PLAIN");
            p.setProperty("sasl.jaas.config", "org.apache.kafka.common.security.plain.PlainLoginModule required"
                    + " username=\"" + USER + "\" password=\"" + BenchTls.PASSWORD + "\";");
        }
        try (Writer out = Files.newBufferedWriter(file)) {
            p.store(out, "runnel-bench clients over " + label());
        }
    }
}
