package io.runnel.broker.network;

import io.netty.handler.ssl.SslContext;
import io.runnel.broker.security.CertificatePrincipal;

/** What an SSL listener encrypts with, and how it names the clients that present a certificate. */
public record ListenerTls(SslContext context, CertificatePrincipal principals) {
}
