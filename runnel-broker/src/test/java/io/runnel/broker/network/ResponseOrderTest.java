package io.runnel.broker.network;

import io.runnel.broker.protocol.ApiDispatcher;
import io.runnel.broker.protocol.WireClient;
import org.apache.kafka.common.errors.NotLeaderOrFollowerException;
import org.apache.kafka.common.message.ListOffsetsRequestData;
import org.apache.kafka.common.message.ListOffsetsResponseData;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.message.ProduceResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

class ResponseOrderTest {
    private static final short LIST_OFFSETS_VERSION = 10;
    private static final short METADATA_VERSION = 12;
    private static final short PRODUCE_VERSION = 12;

    private final BlockingQueue<CompletableFuture<ApiMessage>> heldListOffsets = new LinkedBlockingQueue<>();
    private final BlockingQueue<ProduceRequestData> produced = new LinkedBlockingQueue<>();
    private SocketServer server;
    private int port;

    private void start() throws InterruptedException {
        ApiDispatcher dispatcher = new ApiDispatcher()
            .register(ApiKeys.METADATA, TestServers.metadata(() -> port))
            .register(ApiKeys.LIST_OFFSETS, (ctx, request) -> {
                CompletableFuture<ApiMessage> response = new CompletableFuture<>();
                heldListOffsets.add(response);
                return response;
            })
            .register(ApiKeys.PRODUCE, (ctx, request) -> {
                ProduceRequestData produce = (ProduceRequestData) request;
                produced.add(produce);
                if (produce.transactionalId() != null) {
                    throw new NotLeaderOrFollowerException("this handler fails transactional produce requests");
                }
                return CompletableFuture.completedFuture(new ProduceResponseData());
            });
        server = TestServers.start(dispatcher);
        port = server.boundPort(TestServers.LISTENER);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void responsesLeaveInRequestOrderWhenFuturesCompleteInReverseOnOtherThreads() throws Exception {
        start();
        try (WireClient client = new WireClient(port)) {
            for (int correlationId = 1; correlationId <= 3; correlationId++) {
                client.send(new ListOffsetsRequestData().setReplicaId(-1), LIST_OFFSETS_VERSION, correlationId);
            }
            List<CompletableFuture<ApiMessage>> held = new ArrayList<>();
            for (int i = 1; i <= 3; i++) {
                CompletableFuture<ApiMessage> future = heldListOffsets.poll(15, TimeUnit.SECONDS);
                assertNotNull(future, "request " + i + " reached its handler");
                held.add(future);
            }
            for (int i = 2; i >= 0; i--) {
                CompletableFuture<ApiMessage> future = held.get(i);
                Thread completer = new Thread(() -> future.complete(new ListOffsetsResponseData()));
                completer.start();
                completer.join();
            }
            for (int correlationId = 1; correlationId <= 3; correlationId++) {
                assertEquals(correlationId, client.receive(ApiKeys.LIST_OFFSETS, LIST_OFFSETS_VERSION).correlationId());
            }
        }
    }

    @Test
    void produceWithAcksZeroRunsInOrderButGetsNoResponseEvenWhenItFails() throws Exception {
        start();
        try (WireClient client = new WireClient(port)) {
            client.send(produce((short) 0, null), PRODUCE_VERSION, 1);
            client.send(produce((short) 0, "failing"), PRODUCE_VERSION, 2);
            client.send(new MetadataRequestData(), METADATA_VERSION, 3);
            client.send(produce((short) 1, null), PRODUCE_VERSION, 4);

            assertEquals(3, client.receive(ApiKeys.METADATA, METADATA_VERSION).correlationId());
            assertEquals(4, client.receive(ApiKeys.PRODUCE, PRODUCE_VERSION).correlationId());
            List<Short> acks = List.of(produced.take().acks(), produced.take().acks(), produced.take().acks());
            assertEquals(List.of((short) 0, (short) 0, (short) 1), acks);
        }
    }

    private static ProduceRequestData produce(short acks, String transactionalId) {
        ProduceRequestData.TopicProduceDataCollection topics = new ProduceRequestData.TopicProduceDataCollection();
        topics.add(new ProduceRequestData.TopicProduceData().setName("t"));
        return new ProduceRequestData().setAcks(acks).setTimeoutMs(1000).setTransactionalId(transactionalId).setTopicData(topics);
    }
}
