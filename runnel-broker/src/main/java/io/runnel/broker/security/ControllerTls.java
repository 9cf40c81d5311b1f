package io.runnel.broker.security;

import io.runnel.metadata.quorum.QuorumTransport;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import org.apache.kafka.common.config.SslClientAuth;

import static org.apache.kafka.common.config.SslConfigs.SSL_KEYSTORE_LOCATION_CONFIG;

/**
 * The metadata quorum's TLS from the controller listener's {@code ssl.*} settings ({@code listener.name.<l>.ssl.*}
 * first): every node runs a Raft server (a voter, or a broker-only node receiving the log), so every node needs the
 * keystore; the truststore checks the others' certificates, and {@code ssl.client.auth=required} makes each
 * connection mutual, as it does on a Kafka controller listener.
 */
public final class ControllerTls {
    private ControllerTls() {
    }

    public static QuorumTransport transport(SslSettings s) {
        KeyManagerFactory keys = SslStores.keyManagers(s);
        if (keys == null) {
            throw s.invalid(SSL_KEYSTORE_LOCATION_CONFIG, "the controller listener " + s.listenerName() + " is SSL: "
                    + "every node of the metadata quorum needs a keystore for it, since each runs a Raft server");
        }
        TrustManagerFactory trust = SslStores.trustManagers(s);
        TrustManager trustManager = trust == null ? null : trust.getTrustManagers()[0];
        return QuorumTransport.tls(keys.getKeyManagers()[0], trustManager, s.clientAuth() == SslClientAuth.REQUIRED);
    }
}
