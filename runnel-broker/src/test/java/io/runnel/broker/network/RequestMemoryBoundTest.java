package io.runnel.broker.network;

import io.runnel.broker.protocol.ApiDispatcher;
import io.runnel.broker.protocol.WireClient;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.message.ListOffsetsRequestData;
import org.apache.kafka.common.message.ListOffsetsResponseData;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.message.MetadataRequestData.MetadataRequestTopic;
import org.apache.kafka.common.message.MetadataResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * queued.max.request.bytes, asserted on the broker's own accounting: a frame's size is reserved when its size prefix
 * is read, a frame that does not fit waits (its connection stops reading), frames are granted in arrival order as
 * memory is released, and every path gives the memory back exactly once.
 */
class RequestMemoryBoundTest {
    private static final int MAX_FRAME = TestServers.MAX_REQUEST_BYTES;
    private static final short METADATA_VERSION = 12;
    private static final short LIST_OFFSETS_VERSION = 10;

    private final AtomicInteger port = new AtomicInteger();
    private final List<CompletableFuture<ApiMessage>> held = new ArrayList<>();
    private final ApiDispatcher dispatcher = new ApiDispatcher()
        .register(ApiKeys.METADATA, TestServers.metadata(port::get))
        .register(ApiKeys.LIST_OFFSETS, (ctx, request) -> {
            CompletableFuture<ApiMessage> response = new CompletableFuture<>();
            synchronized (held) {
                held.add(response);
            }
            return response;
        });

    @Test
    void slowClientsWithHugeSizePrefixesHoldNoMoreThanTheBoundAndReadingResumesWhenTheyLeave() throws Exception {
        long bound = MAX_FRAME * 5L / 2;
        try (SocketServer server = start(bound)) {
            List<WireClient> slow = new ArrayList<>();
            try {
                for (int i = 0; i < 10; i++) {
                    WireClient client = new WireClient(port.get());
                    client.sendRaw(ByteBuffer.allocate(Integer.BYTES + 1000).putInt(MAX_FRAME).array());
                    slow.add(client);
                }
                awaitMemory(server, 2L * MAX_FRAME, 8);
                for (WireClient client : slow) {
                    client.sendRaw(new byte[1000]); // still trickling: no more memory is taken
                }
                try (WireClient waiting = new WireClient(port.get())) {
                    waiting.send(new MetadataRequestData(), METADATA_VERSION, 42);
                    awaitMemory(server, 2L * MAX_FRAME, 9);
                    assertTrue(server.requestMemoryReserved() <= bound);

                    for (WireClient client : slow) {
                        client.close();
                    }
                    WireClient.Response response = waiting.receive(ApiKeys.METADATA, METADATA_VERSION);
                    assertEquals(42, response.correlationId());
                }
            } finally {
                for (WireClient client : slow) {
                    client.close();
                }
            }
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + port.get()))) {
                assertEquals(TestServers.CLUSTER_ID, admin.describeCluster().clusterId().get(30, TimeUnit.SECONDS));
            }
            awaitMemory(server, 0, 0);
        }
    }

    @Test
    void aFrameLargerThanWhatIsFreeWaitsAndLaterSmallFramesQueueBehindIt() throws Exception {
        try (SocketServer server = start(MAX_FRAME * 3L / 2);
             WireClient partial = new WireClient(port.get());
             WireClient large = new WireClient(port.get());
             WireClient small = new WireClient(port.get())) {
            partial.sendRaw(ByteBuffer.allocate(Integer.BYTES + 1000).putInt(MAX_FRAME).array());
            awaitMemory(server, MAX_FRAME, 0);

            MetadataRequestData largeRequest = metadataRequestOfAbout(MAX_FRAME * 9 / 10);
            CompletableFuture<Void> largeSent = CompletableFuture.runAsync(() -> send(large, largeRequest, 1));
            awaitMemory(server, MAX_FRAME, 1);
            small.send(new MetadataRequestData(), METADATA_VERSION, 2);
            awaitMemory(server, MAX_FRAME, 2); // half of the bound is free, yet the small frame waits its turn

            partial.close(); // closed mid-frame: its reservation is returned
            assertEquals(1, large.receive(ApiKeys.METADATA, METADATA_VERSION).correlationId());
            largeSent.get(30, TimeUnit.SECONDS);
            assertEquals(2, small.receive(ApiKeys.METADATA, METADATA_VERSION).correlationId());
            awaitMemory(server, 0, 0);
        }
    }

    @Test
    void aFrameStillBeingHandledWhenItsConnectionClosesIsReleasedOnceWhenTheHandlerIsDone() throws Exception {
        try (SocketServer server = start(-1)) {
            int frameBytes = WireClient.encodeRequest(new ListOffsetsRequestData(), LIST_OFFSETS_VERSION, 1).remaining();
            try (WireClient client = new WireClient(port.get())) {
                client.send(new ListOffsetsRequestData(), LIST_OFFSETS_VERSION, 1);
                TestServers.await(() -> heldCount() == 1, () -> "the request to reach its handler");
                assertEquals(frameBytes, server.requestMemoryReserved());
            }
            TestServers.await(() -> server.connections() == 0, () -> "the connection to close");
            assertEquals(frameBytes, server.requestMemoryReserved(), "the handler may still read its frame");

            held.get(0).complete(new ListOffsetsResponseData());
            awaitMemory(server, 0, 0);
        }
    }

    private SocketServer start(long queuedMaxRequestBytes) throws InterruptedException {
        SocketServer server = TestServers.start(dispatcher,
            TestServers.config(600_000, 100, queuedMaxRequestBytes, ConnectionLimits.NONE));
        port.set(server.boundPort(TestServers.LISTENER));
        return server;
    }

    private int heldCount() {
        synchronized (held) {
            return held.size();
        }
    }

    private static void awaitMemory(SocketServer server, long reserved, int waiting) {
        TestServers.await(() -> server.requestMemoryReserved() == reserved && server.requestMemoryWaiting() == waiting,
            () -> reserved + " bytes reserved and " + waiting + " frames waiting; now " + server.requestMemoryReserved()
                + " and " + server.requestMemoryWaiting());
    }

    /** A Metadata request naming enough topics to encode to about {@code bytes}. */
    private static MetadataRequestData metadataRequestOfAbout(int bytes) {
        MetadataRequestData request = new MetadataRequestData();
        String padding = "t".repeat(200);
        for (int i = 0; request.topics().size() * 220 < bytes; i++) {
            request.topics().add(new MetadataRequestTopic().setName(padding + i));
        }
        return request;
    }

    private static void send(WireClient client, ApiMessage request, int correlationId) {
        try {
            client.send(request, METADATA_VERSION, correlationId);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
