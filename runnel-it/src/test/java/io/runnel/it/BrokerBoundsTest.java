package io.runnel.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A broker that bounds itself, seen from real clients: past max.connections.per.ip (here its override for one
 * address) thousands of idle connections are closed while a KafkaProducer and a KafkaConsumer from another address
 * are served; slow clients announcing the largest request hold no more than queued.max.request.bytes, and real
 * clients are served beside them; producers whose requests together pass the bound wait for each other's memory
 * and all complete; idle connections are closed after connections.max.idle.ms.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class BrokerBoundsTest {
    private static final String IDLE_ADDRESS = "127.0.0.2";
    private static final int IDLE_ADDRESS_LIMIT = 500;
    private static final int IDLE_CONNECTIONS = 3000;
    private static final int MAX_REQUEST_BYTES = 1024 * 1024;

    @Test
    void connectionsPastThePerIpLimitAreClosedWhileRealClientsAreServed() throws Exception {
        try (RunnelCluster cluster = RunnelCluster.builder()
                .brokerProperty("max.connections.per.ip.overrides", IDLE_ADDRESS + ":" + IDLE_ADDRESS_LIMIT)
                .start()) {
            List<Socket> idle = new ArrayList<>();
            try {
                for (int i = 0; i < IDLE_CONNECTIONS; i++) {
                    idle.add(connect(cluster, IDLE_ADDRESS));
                }
                // Accepted in connection order: the first ones take the address's slots, every later one is closed.
                for (Socket socket : idle.subList(IDLE_ADDRESS_LIMIT, IDLE_CONNECTIONS)) {
                    assertClosedByBroker(socket);
                }
                RoundTrip.run(cluster, "served-beside-idle-connections", 3, 5_000, new Properties());
            } finally {
                for (Socket socket : idle) {
                    socket.close();
                }
            }
        }
    }

    @Test
    void slowClientsAnnouncingTheLargestRequestLeaveRealClientsServed() throws Exception {
        try (RunnelCluster cluster = RunnelCluster.builder()
                .brokerProperty("socket.request.max.bytes", Integer.toString(MAX_REQUEST_BYTES))
                .brokerProperty("queued.max.request.bytes", Integer.toString(3 * MAX_REQUEST_BYTES))
                .start()) {
            List<Socket> slow = new ArrayList<>();
            try {
                for (int i = 0; i < 2; i++) {
                    Socket socket = connect(cluster, "127.0.0.1");
                    socket.getOutputStream().write(ByteBuffer.allocate(Integer.BYTES + 1000).putInt(MAX_REQUEST_BYTES).array());
                    slow.add(socket);
                }
                Properties producer = new Properties();
                producer.put("max.request.size", Integer.toString(MAX_REQUEST_BYTES / 2));
                RoundTrip.run(cluster, "served-beside-slow-clients", 3, 5_000, producer);
            } finally {
                for (Socket socket : slow) {
                    socket.close();
                }
            }
            RoundTrip.run(cluster, "served-after-slow-clients", 1, 1_000, new Properties());
        }
    }

    @Test
    void producersWhoseRequestsTogetherPassTheBoundAllComplete() throws Exception {
        try (RunnelCluster cluster = RunnelCluster.builder()
                .brokerProperty("socket.request.max.bytes", Integer.toString(MAX_REQUEST_BYTES))
                .brokerProperty("queued.max.request.bytes", Integer.toString(MAX_REQUEST_BYTES))
                .start()) {
            Properties producer = new Properties();
            producer.put("batch.size", Integer.toString(MAX_REQUEST_BYTES / 2));
            producer.put("linger.ms", "50");
            producer.put("max.request.size", Integer.toString(MAX_REQUEST_BYTES - 1024));
            // Four producers sending requests of up to the whole bound at once: frames wait for each other's memory.
            ExecutorService threads = Executors.newFixedThreadPool(4);
            try {
                List<CompletableFuture<RoundTrip>> producers = new ArrayList<>();
                for (int i = 0; i < 4; i++) {
                    String topic = "tight-bound-" + i;
                    producers.add(CompletableFuture.supplyAsync(
                            () -> RoundTrip.run(cluster, topic, 3, 100_000, producer), threads));
                }
                for (CompletableFuture<RoundTrip> roundTrip : producers) {
                    roundTrip.get(150, TimeUnit.SECONDS);
                }
            } finally {
                threads.shutdownNow();
            }
        }
    }

    @Test
    void idleConnectionsAreClosedAfterConnectionsMaxIdleMs() throws Exception {
        try (RunnelCluster cluster = RunnelCluster.builder()
                .brokerProperty("connections.max.idle.ms", "500")
                .start()) {
            List<Socket> idle = new ArrayList<>();
            try {
                for (int i = 0; i < 50; i++) {
                    idle.add(connect(cluster, "127.0.0.1"));
                }
                for (Socket socket : idle) {
                    assertClosedByBroker(socket);
                }
            } finally {
                for (Socket socket : idle) {
                    socket.close();
                }
            }
            RoundTrip.run(cluster, "served-with-short-idle-time", 1, 1_000, new Properties());
        }
    }

    private static Socket connect(RunnelCluster cluster, String localAddress) throws IOException {
        String server = cluster.bootstrapServers().split(",")[0];
        int colon = server.lastIndexOf(':');
        Socket socket = new Socket();
        socket.bind(new InetSocketAddress(InetAddress.getByName(localAddress), 0));
        socket.connect(new InetSocketAddress(server.substring(0, colon), Integer.parseInt(server.substring(colon + 1))));
        socket.setSoTimeout(30_000);
        return socket;
    }

    /** The broker closes the connection (EOF or reset); the read is bounded by the socket timeout. */
    private static void assertClosedByBroker(Socket socket) throws IOException {
        int read;
        try {
            read = socket.getInputStream().read();
        } catch (SocketException reset) {
            read = -1;
        } catch (SocketTimeoutException e) {
            throw new AssertionError("the broker kept " + socket + " open", e);
        }
        assertEquals(-1, read, "the broker sent bytes on an idle connection");
    }
}
