package io.runnel.broker.security;

import javax.crypto.Cipher;
import javax.crypto.EncryptedPrivateKeyInfo;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Key stores built in memory from PEM text, as Kafka's {@code ssl.keystore.type=PEM} reads it: X.509 certificates,
 * and a PKCS#8 private key, encrypted or not ({@code ssl.key.password}). The JDK does the decoding and decryption.
 */
final class PemStores {
    private static final Pattern CERTIFICATE =
            Pattern.compile("-----BEGIN CERTIFICATE-----[A-Za-z0-9+/=\\s]+-----END CERTIFICATE-----");
    private static final Pattern PRIVATE_KEY =
            Pattern.compile("-----BEGIN (ENCRYPTED )?PRIVATE KEY-----([A-Za-z0-9+/=\\s]+)-----END (ENCRYPTED )?PRIVATE KEY-----");
    private static final List<String> KEY_ALGORITHMS = List.of("RSA", "EC", "DSA", "Ed25519", "Ed448");

    private PemStores() {
    }

    /** A store holding the certificates as trusted entries. */
    static KeyStore trustStore(String pem) throws GeneralSecurityException, IOException {
        KeyStore store = emptyStore();
        int i = 0;
        for (Certificate certificate : certificates(pem)) {
            store.setCertificateEntry("ca-" + i++, certificate);
        }
        return store;
    }

    /** A store holding the private key with its certificate chain, protected by {@code password}. */
    static KeyStore keyStore(String chainPem, String keyPem, char[] keyPassword, char[] password)
            throws GeneralSecurityException, IOException {
        List<Certificate> chain = certificates(chainPem);
        KeyStore store = emptyStore();
        store.setKeyEntry("key", privateKey(keyPem, keyPassword), password, chain.toArray(Certificate[]::new));
        return store;
    }

    /** The certificate blocks of the text, in order; other blocks (a private key in the same file) are skipped. */
    private static List<Certificate> certificates(String pem) throws GeneralSecurityException {
        StringBuilder blocks = new StringBuilder();
        Matcher m = CERTIFICATE.matcher(pem);
        while (m.find()) {
            blocks.append(m.group()).append('\n');
        }
        if (blocks.length() == 0) {
            throw new GeneralSecurityException("no PEM certificate (-----BEGIN CERTIFICATE-----) found");
        }
        return List.copyOf(CertificateFactory.getInstance("X.509")
                .generateCertificates(new ByteArrayInputStream(blocks.toString().getBytes(StandardCharsets.US_ASCII))));
    }

    private static PrivateKey privateKey(String pem, char[] keyPassword) throws GeneralSecurityException, IOException {
        Matcher m = PRIVATE_KEY.matcher(pem);
        if (!m.find()) {
            throw new GeneralSecurityException("no PKCS#8 PEM private key (-----BEGIN PRIVATE KEY----- or "
                    + "-----BEGIN ENCRYPTED PRIVATE KEY-----) found");
        }
        byte[] der = Base64.getMimeDecoder().decode(m.group(2));
        PKCS8EncodedKeySpec spec;
        if (m.group(1) == null) {
            spec = new PKCS8EncodedKeySpec(der);
        } else {
            if (keyPassword == null) {
                throw new GeneralSecurityException("the private key is encrypted and no key password is set");
            }
            EncryptedPrivateKeyInfo info = new EncryptedPrivateKeyInfo(der);
            // PBES2 (openssl's default) names its scheme in its parameters, e.g. PBEWithHmacSHA256AndAES_256.
            String algorithm = "PBES2".equals(info.getAlgName()) ? info.getAlgParameters().toString() : info.getAlgName();
            Cipher cipher = Cipher.getInstance(algorithm);
            cipher.init(Cipher.DECRYPT_MODE, SecretKeyFactory.getInstance(algorithm)
                    .generateSecret(new PBEKeySpec(keyPassword)), info.getAlgParameters());
            spec = info.getKeySpec(cipher);
        }
        for (String algorithm : KEY_ALGORITHMS) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(spec);
            } catch (InvalidKeySpecException e) {
                // not a key of this algorithm: try the next
            }
        }
        throw new GeneralSecurityException("the private key is none of " + KEY_ALGORITHMS);
    }

    private static KeyStore emptyStore() throws GeneralSecurityException, IOException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        return store;
    }
}
