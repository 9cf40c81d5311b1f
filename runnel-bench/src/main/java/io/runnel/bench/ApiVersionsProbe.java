package io.runnel.bench;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;

/**
 * Asks a broker for its API versions (ApiVersions v0, the first request every Kafka client sends) until one is
 * answered: the moment a starting broker first serves a client. Written by hand, so that the probe loads no client
 * classes whose start-up would be counted.
 */
final class ApiVersionsProbe {
    private static final short API_VERSIONS = 18;
    private static final int CORRELATION_ID = 7;
    private static final byte[] CLIENT_ID = "startup-probe".getBytes(StandardCharsets.UTF_8);
    private static final int CONNECT_TIMEOUT_MS = 200;
    private static final long RETRY_MS = 5;

    private ApiVersionsProbe() {
    }

    /** The instant the first answer without error arrived; fails after {@code timeout}. */
    static Instant firstAnswer(String host, int port, Duration timeout, Process broker)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (broker != null && !broker.isAlive()) {
                throw new IOException("the broker exited with " + broker.exitValue() + " before it answered");
            }
            if (answered(host, port)) {
                return Instant.now();
            }
            Thread.sleep(RETRY_MS);
        }
        throw new IOException("no ApiVersions answer from " + host + ":" + port + " within " + timeout);
    }

    private static boolean answered(String host, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), CONNECT_TIMEOUT_MS);
            socket.setSoTimeout(5_000);
            DataOutputStream out = new DataOutputStream(socket.getOutputStream());
            out.writeInt(2 + 2 + 4 + 2 + CLIENT_ID.length);
            out.writeShort(API_VERSIONS);
            out.writeShort(0);
            out.writeInt(CORRELATION_ID);
            out.writeShort(CLIENT_ID.length);
            out.write(CLIENT_ID);
            out.flush();
            DataInputStream in = new DataInputStream(socket.getInputStream());
            int size = in.readInt();
            int correlationId = in.readInt();
            short errorCode = in.readShort();
            return size > 6 && correlationId == CORRELATION_ID && errorCode == 0;
        } catch (IOException notYet) {
            return false;
        }
    }
}
