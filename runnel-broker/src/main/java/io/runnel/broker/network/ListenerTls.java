package io.runnel.broker.network;

import io.netty.handler.ssl.SslContext;
import io.runnel.broker.security.CertificatePrincipal;

/**
 * What an SSL listener encrypts with, and how it names the clients that present a certificate. The context is
 * replaced when the listener's keystore or truststore changes at run time: connections accepted from then on use the
 * new one, those already open keep theirs, as in Kafka.
 */
public final class ListenerTls {
    private final CertificatePrincipal principals;
    private volatile SslContext context;

    public ListenerTls(SslContext context, CertificatePrincipal principals) {
        this.context = context;
        this.principals = principals;
    }

    public SslContext context() {
        return context;
    }

    public CertificatePrincipal principals() {
        return principals;
    }

    public void replace(SslContext context) {
        this.context = context;
    }
}
