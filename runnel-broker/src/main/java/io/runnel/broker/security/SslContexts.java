package io.runnel.broker.security;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.IdentityCipherSuiteFilter;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.util.ReferenceCountUtil;
import org.apache.kafka.common.config.SslClientAuth;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManagerFactory;
import java.security.GeneralSecurityException;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.apache.kafka.common.config.SslConfigs.SSL_CIPHER_SUITES_CONFIG;
import static org.apache.kafka.common.config.SslConfigs.SSL_ENABLED_PROTOCOLS_CONFIG;
import static org.apache.kafka.common.config.SslConfigs.SSL_ENDPOINT_IDENTIFICATION_ALGORITHM_CONFIG;
import static org.apache.kafka.common.config.SslConfigs.SSL_KEYSTORE_LOCATION_CONFIG;
import static org.apache.kafka.common.config.SslConfigs.SSL_PROTOCOL_CONFIG;
import static org.apache.kafka.common.config.SslConfigs.SSL_SECURE_RANDOM_IMPLEMENTATION_CONFIG;

/**
 * Netty TLS contexts from a listener's settings: OpenSSL (BoringSSL, netty-tcnative) where it loads, the JDK's
 * provider otherwise. Each context is tried on an engine before it is returned, so that protocols and cipher suites
 * the provider lacks are refused at start-up with their key, not at a client's first handshake.
 */
public final class SslContexts {
    private static final Pattern TLS_VERSION = Pattern.compile("TLSv1(?:\\.(\\d))?");

    private SslContexts() {
    }

    /** The provider every context uses. */
    public static SslProvider provider() {
        return OpenSsl.isAvailable() ? SslProvider.OPENSSL : SslProvider.JDK;
    }

    /** The server side of an SSL listener: its keystore is required, the truststore checks client certificates. */
    public static SslContext server(SslSettings s) {
        KeyManagerFactory keys = SslStores.keyManagers(s);
        if (keys == null) {
            throw s.invalid(SSL_KEYSTORE_LOCATION_CONFIG, "listener " + s.listenerName() + " is SSL and needs a "
                    + "keystore: a JKS, PKCS12 or PEM file, or ssl.keystore.certificate.chain and ssl.keystore.key with "
                    + "ssl.keystore.type=PEM");
        }
        return build(s, SslContextBuilder.forServer(keys).clientAuth(clientAuth(s.clientAuth())));
    }

    /**
     * The client side, for this broker's connections to the listener of these settings on other brokers: the
     * truststore checks their certificates (and {@code ssl.endpoint.identification.algorithm} their host names),
     * the keystore, if any, is presented to them.
     */
    public static SslContext client(SslSettings s) {
        SslContextBuilder builder = SslContextBuilder.forClient();
        KeyManagerFactory keys = SslStores.keyManagers(s);
        if (keys != null) {
            builder.keyManager(keys);
        }
        String identification = s.string(SSL_ENDPOINT_IDENTIFICATION_ALGORITHM_CONFIG);
        builder.endpointIdentificationAlgorithm(identification == null || identification.isBlank() ? null : identification);
        return build(s, builder);
    }

    private static SslContext build(SslSettings s, SslContextBuilder builder) {
        TrustManagerFactory trust = SslStores.trustManagers(s);
        if (trust != null) {
            builder.trustManager(trust);
        }
        builder.sslProvider(provider()).protocols(enabledProtocols(s));
        List<String> ciphers = s.list(SSL_CIPHER_SUITES_CONFIG);
        if (!ciphers.isEmpty()) {
            builder.ciphers(ciphers, IdentityCipherSuiteFilter.INSTANCE);
        }
        String random = s.string(SSL_SECURE_RANDOM_IMPLEMENTATION_CONFIG);
        if (random != null) {
            try {
                builder.secureRandom(SecureRandom.getInstance(random));
            } catch (NoSuchAlgorithmException e) {
                throw s.invalid(SSL_SECURE_RANDOM_IMPLEMENTATION_CONFIG, "unknown SecureRandom algorithm");
            }
        }
        SslContext context;
        try {
            context = builder.build();
        } catch (SSLException | IllegalArgumentException e) {
            throw s.invalid(SSL_CIPHER_SUITES_CONFIG, "the TLS context cannot be built with these settings: " + e.getMessage());
        }
        SSLEngine engine = null;
        try {
            engine = context.newEngine(ByteBufAllocator.DEFAULT);
        } catch (IllegalArgumentException e) {
            throw s.invalid(SSL_CIPHER_SUITES_CONFIG, provider() + " refuses these cipher suites or the protocols "
                    + s.list(SSL_ENABLED_PROTOCOLS_CONFIG) + ": " + e.getMessage());
        } finally {
            ReferenceCountUtil.release(engine);
        }
        return context;
    }

    /**
     * ssl.enabled.protocols, less those above ssl.protocol: as in Kafka, a context made for TLSv1.2 does not
     * negotiate TLSv1.3. Null (the provider's defaults) for an empty list.
     */
    static List<String> enabledProtocols(SslSettings s) {
        String maximum = s.string(SSL_PROTOCOL_CONFIG);
        List<String> supported;
        try {
            SSLContext.getInstance(maximum);
            supported = List.of(SSLContext.getDefault().getSupportedSSLParameters().getProtocols());
        } catch (NoSuchAlgorithmException e) {
            throw s.invalid(SSL_PROTOCOL_CONFIG, "unknown protocol: use TLSv1.3 (the default), TLSv1.2 or TLS");
        }
        List<String> enabled = s.list(SSL_ENABLED_PROTOCOLS_CONFIG);
        if (enabled.isEmpty()) {
            return null;
        }
        List<String> kept = new ArrayList<>();
        for (String protocol : enabled) {
            if (!supported.contains(protocol)) {
                throw s.invalid(SSL_ENABLED_PROTOCOLS_CONFIG, "unknown or unsupported protocol " + protocol
                        + ": use TLSv1.2 and TLSv1.3");
            }
            if (minor(protocol) <= minor(maximum)) {
                kept.add(protocol);
            }
        }
        if (kept.isEmpty()) {
            throw s.invalid(SSL_ENABLED_PROTOCOLS_CONFIG, "enables no protocol at or below " + s.writtenKey(SSL_PROTOCOL_CONFIG)
                    + "=" + maximum);
        }
        return kept;
    }

    /** The minor version of TLSv1.N (TLSv1 is 0); a name such as TLS allows every version. */
    private static int minor(String protocol) {
        Matcher m = TLS_VERSION.matcher(protocol);
        if (!m.matches()) {
            return Integer.MAX_VALUE;
        }
        return m.group(1) == null ? 0 : Integer.parseInt(m.group(1));
    }

    private static ClientAuth clientAuth(SslClientAuth auth) {
        switch (auth) {
            case REQUIRED:
                return ClientAuth.REQUIRE;
            case REQUESTED:
                return ClientAuth.OPTIONAL;
            default:
                return ClientAuth.NONE;
        }
    }
}
