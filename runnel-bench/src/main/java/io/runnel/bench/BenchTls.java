package io.runnel.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The certificates both brokers serve TLS with: one self-signed RSA 2048 key and certificate for 127.0.0.1 in a
 * PKCS12 keystore, and a PKCS12 truststore holding that certificate for the clients, made by the JDK's keytool.
 */
record BenchTls(Path keystore, Path truststore) {
    static final String PASSWORD = "bench-secret";
    private static final Duration KEYTOOL_TIMEOUT = Duration.ofSeconds(60);

    /** Creates the stores in {@code dir}, or reuses those a previous call made there. */
    static BenchTls in(Path dir) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        BenchTls tls = new BenchTls(dir.resolve("broker.p12"), dir.resolve("trust.p12"));
        if (Files.exists(tls.truststore)) {
            return tls;
        }
        Path certificate = dir.resolve("broker.crt");
        Files.deleteIfExists(tls.keystore);
        keytool("-genkeypair", "-alias", "broker", "-keyalg", "RSA", "-keysize", "2048", "-validity", "30",
                "-dname", "CN=localhost", "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-storetype", "PKCS12",
                "-keystore", tls.keystore.toString(), "-storepass", PASSWORD, "-keypass", PASSWORD);
        keytool("-exportcert", "-alias", "broker", "-keystore", tls.keystore.toString(), "-storepass", PASSWORD,
                "-file", certificate.toString());
        keytool("-importcert", "-noprompt", "-alias", "broker", "-file", certificate.toString(), "-storetype",
                "PKCS12", "-keystore", tls.truststore.toString(), "-storepass", PASSWORD);
        return tls;
    }

    private static void keytool(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        if (!process.waitFor(KEYTOOL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS) || process.exitValue() != 0) {
            throw new IOException("keytool " + args[0] + " failed: " + output);
        }
    }
}
