package io.runnel.broker.network;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.fail;

/** Many connections that send nothing, from one local address, watched for the broker closing them. */
final class IdleConnections implements AutoCloseable {
    private final Selector selector = Selector.open();
    private final List<SocketChannel> open = new ArrayList<>();
    private int closedByPeer;

    IdleConnections() throws IOException {
    }

    /** Connects {@code count} times from {@code localAddress} to 127.0.0.1:{@code port}. */
    void open(int count, String localAddress, int port) throws IOException {
        for (int i = 0; i < count; i++) {
            SocketChannel channel = SocketChannel.open();
            channel.bind(new InetSocketAddress(InetAddress.getByName(localAddress), 0));
            channel.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            channel.configureBlocking(false);
            channel.register(selector, SelectionKey.OP_READ);
            open.add(channel);
        }
    }

    /** Waits until the broker has closed {@code expected} of these connections in all (fails after 30 seconds). */
    void awaitClosedByPeer(int expected) throws IOException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        ByteBuffer buffer = ByteBuffer.allocate(64);
        while (closedByPeer < expected) {
            if (System.nanoTime() - deadline > 0) {
                fail("the broker closed " + closedByPeer + " connections, not " + expected);
            }
            selector.select(100);
            for (SelectionKey key : selector.selectedKeys()) {
                SocketChannel channel = (SocketChannel) key.channel();
                int read;
                try {
                    read = channel.read(buffer.clear());
                } catch (IOException reset) {
                    read = -1;
                }
                if (read < 0) {
                    key.cancel();
                    channel.close();
                    open.remove(channel);
                    closedByPeer++;
                }
            }
            selector.selectedKeys().clear();
        }
    }

    int closedByPeer() {
        return closedByPeer;
    }

    /** Closes the first still-open connection. */
    void closeOne() throws IOException {
        open.remove(0).close();
    }

    @Override
    public void close() throws IOException {
        for (SocketChannel channel : open) {
            channel.close();
        }
        selector.close();
    }
}
