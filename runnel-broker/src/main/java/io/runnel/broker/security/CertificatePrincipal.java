package io.runnel.broker.security;

import org.apache.kafka.common.security.auth.KafkaPrincipal;
import org.apache.kafka.common.security.ssl.SslPrincipalMapper;

import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import javax.security.auth.x500.X500Principal;
import java.io.IOException;
import java.security.Principal;

/**
 * The principal of a TLS connection, as Kafka's default principal builder makes it: {@code User:} and the client
 * certificate's distinguished name (RFC 2253) mapped by {@code ssl.principal.mapping.rules}, or
 * {@code User:ANONYMOUS} when the client presented no certificate.
 */
public final class CertificatePrincipal {
    private final SslPrincipalMapper mapper;

    public CertificatePrincipal(SslPrincipalMapper mapper) {
        this.mapper = mapper;
    }

    public KafkaPrincipal of(SSLSession session) {
        Principal peer;
        try {
            peer = session.getPeerPrincipal();
        } catch (SSLPeerUnverifiedException e) {
            return KafkaPrincipal.ANONYMOUS;
        }
        return of(peer);
    }

    KafkaPrincipal of(Principal peer) {
        if (!(peer instanceof X500Principal x500)) {
            return new KafkaPrincipal(KafkaPrincipal.USER_TYPE, peer.getName());
        }
        try {
            return new KafkaPrincipal(KafkaPrincipal.USER_TYPE, mapper.getName(x500.getName()));
        } catch (IOException e) {
            // Kafka refuses such a connection: no rule matched and the rules do not end with DEFAULT.
            throw new IllegalArgumentException("No ssl.principal.mapping.rules rule matches " + x500.getName(), e);
        }
    }
}
