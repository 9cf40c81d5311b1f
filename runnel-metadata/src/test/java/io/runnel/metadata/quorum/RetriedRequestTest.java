package io.runnel.metadata.quorum;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.runnel.metadata.BrokerRegistrations;
import io.runnel.metadata.CreateTopicSpec;
import io.runnel.metadata.QuorumConfig;
import io.runnel.metadata.TopicResult;
import io.runnel.metadata.controller.QuorumController;
import io.runnel.metadata.controller.RequestAnswer;
import io.runnel.metadata.record.MetadataRecord;
import io.runnel.metadata.record.ProducerIdsRecord;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A request retried after its client gave up waiting, and an entry committed twice, take effect once. */
class RetriedRequestTest {
    private static final String CLUSTER_ID = "MkU3OEVBNTcwNTJENDM2Qk";

    @TempDir
    Path dir;
    private RatisMetadataLog log;
    private QuorumController controller;

    @BeforeEach
    void start() throws Exception {
        IOException last = null;
        for (int attempt = 0; attempt < 3 && log == null; attempt++) {
            RatisMetadataLog candidate = new RatisMetadataLog(new QuorumConfig(1, CLUSTER_ID,
                    Map.of(1, new InetSocketAddress("127.0.0.1", freePort())), dir, 1, (short) 1, 1, 1000, 9_000, null));
            controller = new QuorumController(candidate, 1, (short) 1, 1, 30_000, 9_000, System::nanoTime);
            ForwardingController forwarding = new ForwardingController(candidate, controller, 30_000);
            try {
                candidate.start(Duration.ofSeconds(60));
                log = candidate;
                BrokerRegistrations.registerUnfenced(forwarding, CLUSTER_ID, 1, null);
            } catch (IOException e) {
                controller.close();
                last = e;
            }
        }
        if (log == null) {
            throw last;
        }
    }

    @AfterEach
    void stop() {
        controller.close();
        log.close();
    }

    @Test
    void aRetriedRequestIsCarriedOutOnceAndAnsweredWithItsOwnResult() throws Exception {
        ControllerMessages.Call<List<TopicResult>> call = ControllerMessages.createTopics(
                List.of(new CreateTopicSpec("retried", 3, (short) -1, Map.of(), Map.of())), false);
        byte[] request = ControllerMessages.request(UUID.randomUUID(), call);

        // The first attempt, and a retry sent while it runs (its client timed out waiting).
        CompletableFuture<byte[]> first = log.stateMachine().serve(ByteBuffer.wrap(request));
        CompletableFuture<byte[]> retriedWhileRunning = log.stateMachine().serve(ByteBuffer.wrap(request));
        TopicResult created = answer(call, first);
        assertEquals(Errors.NONE, created.error(), created.message());
        assertEquals(created, answer(call, retriedWhileRunning));
        // A retry after the request was carried out (its answer was lost on the way back).
        assertEquals(created, answer(call, log.stateMachine().serve(ByteBuffer.wrap(request))));

        assertEquals(created.topicId(), log.stateMachine().image().topicsByName().get("retried").id());
        assertEquals(1, log.stateMachine().image().topicsByName().size());
        // Another request for the same topic is a new request, validated against the image.
        TopicResult again = answer(call, log.stateMachine().serve(
                ByteBuffer.wrap(ControllerMessages.request(UUID.randomUUID(), call))));
        assertEquals(Errors.TOPIC_ALREADY_EXISTS, again.error());
    }

    @Test
    void aCommandCommittedTwiceIsAppliedOnce() throws Exception {
        AtomicInteger updates = new AtomicInteger();
        log.stateMachine().addListener((previous, current) -> updates.incrementAndGet());
        RequestAnswer command = new RequestAnswer(UUID.randomUUID(), new byte[] {0});
        List<MetadataRecord> records = List.of(new ProducerIdsRecord(1, 5_000));

        log.write(records, command).get(30, TimeUnit.SECONDS);
        int afterFirst = updates.get();
        long offset = log.stateMachine().image().lastAppliedOffset();
        // The same command appended again, as a write retried after its entry's retry-cache entry failed would be.
        log.write(records, command).get(30, TimeUnit.SECONDS);

        assertEquals(afterFirst, updates.get(), "the repeated entry publishes no new image");
        assertEquals(offset, log.stateMachine().image().lastAppliedOffset());
        assertEquals(5_000, log.stateMachine().image().nextProducerId());
    }

    private static TopicResult answer(ControllerMessages.Call<List<TopicResult>> call, CompletableFuture<byte[]> answer)
            throws Exception {
        return call.decodeAnswer(ByteBuffer.wrap(answer.get(30, TimeUnit.SECONDS))).get(0);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
