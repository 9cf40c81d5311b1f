package io.runnel.it.tls;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.PKCS8Generator;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import javax.security.auth.x500.X500Principal;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Certificates made at run time for the TLS tests: a certificate authority, and identities it signs (servers for
 * 127.0.0.1 and localhost, clients by common name), written as JKS, PKCS12 and PEM files the way keytool and openssl
 * write them. {@link #impostor} makes a second authority of the same name.
 */
public final class TestPki {
    public static final String PASSWORD = "test-secret";
    private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());

    private final Path dir;
    private final Identity ca;

    private TestPki(Path dir, String caName) {
        this.dir = dir;
        KeyPair keys = rsa();
        this.ca = new Identity("ca", keys.getPrivate(),
                sign(name("CN=" + caName), keys, name("CN=" + caName), keys.getPrivate(), true, null), null);
    }

    public static TestPki create(Path dir) {
        return new TestPki(dir, "Runnel Test CA");
    }

    /**
     * Another authority with the trusted one's name but its own key, which nothing here trusts: a client offers the
     * certificates it signs to a server that asks for that issuer, and the server finds the signature wrong.
     */
    public static TestPki impostor(Path dir) {
        return new TestPki(dir, "Runnel Test CA");
    }

    /** A server certificate for 127.0.0.1 and localhost. */
    public Identity server(String name) {
        return issue(name, "CN=" + name + ",OU=Brokers,O=Runnel", new GeneralNames(new GeneralName[] {
                new GeneralName(GeneralName.iPAddress, "127.0.0.1"), new GeneralName(GeneralName.dNSName, "localhost")}));
    }

    /** A server certificate for another host name only, which a client checking 127.0.0.1 refuses. */
    public Identity serverElsewhere(String name, String hostName) {
        return issue(name, "CN=" + hostName + ",OU=Brokers,O=Runnel",
                new GeneralNames(new GeneralName(GeneralName.dNSName, hostName)));
    }

    /** A client certificate with this distinguished name. */
    public Identity client(String name, String distinguishedName) {
        return issue(name, distinguishedName, null);
    }

    private Identity issue(String name, String distinguishedName, GeneralNames hostNames) {
        KeyPair keys = rsa();
        X509Certificate certificate = sign(name(distinguishedName), keys,
                X500Name.getInstance(ca.certificate().getSubjectX500Principal().getEncoded()), ca.key(), false, hostNames);
        return new Identity(name, keys.getPrivate(), certificate, hostNames);
    }

    /** The authority's certificate as a PEM file (what librdkafka's ssl.ca.location and KafkaJS's ca take). */
    public Path caPem() {
        return write("ca.pem", pem(ca.certificate()));
    }

    /** A JDK TLS client context trusting this authority, presenting {@code identity}'s certificate (none if null). */
    public SSLContext clientContext(Identity identity) {
        try {
            KeyManagerFactory keys = null;
            if (identity != null) {
                KeyStore store = KeyStore.getInstance("PKCS12");
                try (InputStream in = Files.newInputStream(identity.keystore("PKCS12"))) {
                    store.load(in, PASSWORD.toCharArray());
                }
                keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                keys.init(store, PASSWORD.toCharArray());
            }
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry("ca", ca.certificate());
            TrustManagerFactory trusted = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trusted.init(trust);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys == null ? null : keys.getKeyManagers(), trusted.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A truststore holding the authority's certificate. */
    public Path truststore(String type) {
        try {
            KeyStore store = KeyStore.getInstance(type);
            store.load(null, null);
            store.setCertificateEntry("ca", ca.certificate());
            return store(store, "truststore." + type.toLowerCase());
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A private key and its certificate, signed by the authority. */
    public final class Identity {
        private final String name;
        private final PrivateKey key;
        private final X509Certificate certificate;
        private final GeneralNames hostNames;

        private Identity(String name, PrivateKey key, X509Certificate certificate, GeneralNames hostNames) {
            this.name = name;
            this.key = key;
            this.certificate = certificate;
            this.hostNames = hostNames;
        }

        /** A new key and certificate with this one's names, as a certificate rotation makes. */
        public Identity renewed(String newName) {
            return issue(newName, certificate.getSubjectX500Principal().getName(), hostNames);
        }

        PrivateKey key() {
            return key;
        }

        X509Certificate certificate() {
            return certificate;
        }

        /** A JKS or PKCS12 keystore, store and key protected by {@link #PASSWORD}. */
        public Path keystore(String type) {
            try {
                KeyStore store = KeyStore.getInstance(type);
                store.load(null, null);
                store.setKeyEntry(name, key, PASSWORD.toCharArray(), new X509Certificate[] {certificate, ca.certificate()});
                return store(store, name + "." + type.toLowerCase());
            } catch (GeneralSecurityException | IOException e) {
                throw new IllegalStateException(e);
            }
        }

        /** The certificate chain in PEM: this certificate, then the authority's. */
        public String certificateChainPem() {
            return pem(certificate) + pem(ca.certificate());
        }

        /** The private key in PKCS#8 PEM, unencrypted. */
        public String keyPem() {
            try {
                return pem(new JcaPKCS8Generator(key, null));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** The private key in PKCS#8 PEM, encrypted with {@link #PASSWORD} as openssl pkcs8 -topk8 does (PBES2, AES-256). */
        public String encryptedKeyPem() {
            try {
                return pem(new JcaPKCS8Generator(key, new JceOpenSSLPKCS8EncryptorBuilder(PKCS8Generator.AES_256_CBC)
                        .setProvider(new BouncyCastleProvider()).setPassword(PASSWORD.toCharArray()).build()));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }

        /** One PEM file with the encrypted private key and the chain, as Kafka's PEM keystore file holds them. */
        public Path pemKeystore() {
            return write(name + ".keystore.pem", encryptedKeyPem() + certificateChainPem());
        }

        public Path certificatePem() {
            return write(name + ".crt.pem", certificateChainPem());
        }

        public Path keyPemFile() {
            return write(name + ".key.pem", keyPem());
        }
    }

    private Path store(KeyStore store, String file) throws GeneralSecurityException, IOException {
        Path path = dir.resolve(file);
        try (OutputStream out = Files.newOutputStream(path)) {
            store.store(out, PASSWORD.toCharArray());
        }
        return path;
    }

    private Path write(String file, String text) {
        try {
            return Files.writeString(dir.resolve(file), text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String pem(Object object) {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
            writer.writeObject(object);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return text.toString();
    }

    /** The name as the JDK encodes it, so that it reads back (RFC 2253) as written. */
    private static X500Name name(String distinguishedName) {
        return X500Name.getInstance(new X500Principal(distinguishedName).getEncoded());
    }

    private static KeyPair rsa() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static X509Certificate sign(X500Name subject, KeyPair subjectKeys, X500Name issuer, PrivateKey issuerKey,
                                        boolean authority, GeneralNames hostNames) {
        try {
            Instant now = Instant.now();
            JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(issuer,
                    BigInteger.valueOf(SERIAL.incrementAndGet()), Date.from(now.minus(Duration.ofHours(1))),
                    Date.from(now.plus(Duration.ofDays(2))), subject, subjectKeys.getPublic());
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(authority));
            if (hostNames != null) {
                builder.addExtension(Extension.subjectAlternativeName, false, hostNames);
            }
            return new JcaX509CertificateConverter().getCertificate(
                    builder.build(new JcaContentSignerBuilder("SHA256withRSA").build(issuerKey)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
