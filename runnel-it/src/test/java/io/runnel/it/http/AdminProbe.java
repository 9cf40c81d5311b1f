package io.runnel.it.http;

import io.runnel.it.Await;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** Requests to a node's admin HTTP endpoint, as an orchestrator's probe makes them. */
public final class AdminProbe {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    private AdminProbe() {
    }

    public static HttpResponse<String> get(int port, String path) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(uri(port, path)).timeout(Duration.ofSeconds(30)).build());
    }

    static HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }

    static URI uri(int port, String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    /** The status a GET gets, or -1 while nothing listens (a node still starting). */
    public static int status(int port, String path) {
        try {
            return get(port, path).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public static void awaitStatus(int port, String path, int status) {
        Await.awaitCondition(Duration.ofSeconds(120), () -> status(port, path) == status, path + " answering " + status);
    }

    /**
     * Writes a raw HTTP/1.1 request, whatever it holds, and returns the status the server answers with, or -1 when it
     * closes the connection without one.
     */
    static int rawStatus(int port, String request) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            try {
                out.write(request.getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
            } catch (IOException closedWhileWriting) {
                // The server may answer and close before reading everything: read what it said.
            }
            InputStream in = socket.getInputStream();
            byte[] head = new byte[12];
            int read = 0;
            try {
                for (int n; read < head.length && (n = in.read(head, read, head.length - read)) > 0; ) {
                    read += n;
                }
            } catch (IOException reset) {
                return read >= 12 ? Integer.parseInt(new String(head, 9, 3, StandardCharsets.ISO_8859_1)) : -1;
            }
            return read < 12 ? -1 : Integer.parseInt(new String(head, 9, 3, StandardCharsets.ISO_8859_1));
        }
    }
}
