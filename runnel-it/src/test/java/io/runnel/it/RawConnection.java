package io.runnel.it;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;

/** A plain socket to the broker for writing arbitrary bytes; every read is bounded by the socket timeout. */
public final class RawConnection implements AutoCloseable {
    private static final int TIMEOUT_MS = 30_000;

    private final Socket socket;
    private final DataOutputStream out;
    private final DataInputStream in;

    public RawConnection(String bootstrapServers) throws IOException {
        this(bootstrapServers, null);
    }

    /** A connection from {@code localAddress} (such as 127.0.0.2), or from any address if null. */
    public RawConnection(String bootstrapServers, InetAddress localAddress) throws IOException {
        this(connect(bootstrapServers, localAddress));
    }

    /** A connection over a socket already connected, such as a TLS one. */
    public RawConnection(Socket connected) throws IOException {
        socket = connected;
        socket.setSoTimeout(TIMEOUT_MS);
        out = new DataOutputStream(socket.getOutputStream());
        in = new DataInputStream(socket.getInputStream());
    }

    private static Socket connect(String bootstrapServers, InetAddress localAddress) throws IOException {
        String first = bootstrapServers.split(",")[0];
        int colon = first.lastIndexOf(':');
        Socket socket = new Socket();
        socket.bind(localAddress == null ? null : new InetSocketAddress(localAddress, 0));
        socket.connect(new InetSocketAddress(first.substring(0, colon), Integer.parseInt(first.substring(colon + 1))),
                TIMEOUT_MS);
        return socket;
    }

    /** Bounds every later read by {@code timeout} instead of the default 30 s, for answers known to take longer. */
    public void setReadTimeout(Duration timeout) throws SocketException {
        socket.setSoTimeout(Math.toIntExact(timeout.toMillis()));
    }

    /** Writes the 4-byte size prefix and the payload. */
    public void sendFrame(ByteBuffer payload) throws IOException {
        ByteBuffer p = payload.duplicate();
        byte[] bytes = new byte[p.remaining()];
        p.get(bytes);
        out.writeInt(bytes.length);
        out.write(bytes);
        out.flush();
    }

    void sendRaw(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** Reads one response frame, without its size prefix. */
    public ByteBuffer receiveFrame() throws IOException {
        int size = in.readInt();
        byte[] body = new byte[size];
        in.readFully(body);
        return ByteBuffer.wrap(body);
    }

    /** The broker closes the connection (EOF or reset) within the socket timeout; anything it sent first is ignored. */
    public void assertClosedByBroker() throws IOException {
        InputStream raw = socket.getInputStream();
        byte[] discard = new byte[4096];
        try {
            while (raw.read(discard) >= 0) {
                // drain until the broker's close
            }
        } catch (SocketTimeoutException e) {
            fail("broker kept the connection open for " + TIMEOUT_MS + " ms after a malformed request");
        } catch (EOFException | SocketException e) {
            // reset by the broker: closed as well
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
