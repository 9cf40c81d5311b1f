package io.runnel.broker.network;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.runnel.broker.metrics.BrokerMetrics;
import io.runnel.broker.protocol.ApiDispatcher;
import io.runnel.broker.protocol.ParsedRequest;
import io.runnel.broker.protocol.WireClient;
import org.apache.kafka.common.message.ListOffsetsRequestData;
import org.apache.kafka.common.message.ListOffsetsResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.security.auth.SecurityProtocol;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class InOrderResponderTest {
    private static final short VERSION = 10;
    private final List<CompletableFuture<ApiMessage>> held = new ArrayList<>();
    private final ApiDispatcher dispatcher = new ApiDispatcher().register(ApiKeys.LIST_OFFSETS, (ctx, request) -> {
        CompletableFuture<ApiMessage> response = new CompletableFuture<>();
        held.add(response);
        return response;
    });
    private final EmbeddedChannel channel = new EmbeddedChannel(new InOrderResponder(dispatcher,
        new ListenerSpec("PLAINTEXT", "127.0.0.1", 0, SecurityProtocol.PLAINTEXT), 2, new ReadPauses()));

    @Test
    void stopsReadingAtTheInFlightLimitAndReleasesFramesWhenFuturesComplete() {
        ByteBuf first = send(1);
        assertTrue(channel.config().isAutoRead());
        ByteBuf second = send(2);
        assertFalse(channel.config().isAutoRead(), "two requests await their response");

        held.get(1).complete(new ListOffsetsResponseData());
        assertEquals(0, second.refCnt(), "frame released once its handler is done");
        assertNull(channel.readOutbound(), "the second response waits for the first");
        assertFalse(channel.config().isAutoRead());

        held.get(0).complete(new ListOffsetsResponseData());
        assertEquals(0, first.refCnt());
        assertEquals(1, correlationIdOf(channel.readOutbound()));
        assertEquals(2, correlationIdOf(channel.readOutbound()));
        assertTrue(channel.config().isAutoRead());
    }

    @Test
    void framesOfRequestsStillBeingHandledAreReleasedWhenTheyCompleteAfterClose() {
        ByteBuf frame = send(1);
        channel.close();
        assertEquals(1, frame.refCnt(), "the handler may still read the frame");
        held.get(0).complete(new ListOffsetsResponseData());
        assertEquals(0, frame.refCnt());
        assertNull(channel.readOutbound());
    }

    @Test
    void aRequestsStagesAreRecordedOnceItsResponseIsOnTheSocket() {
        BrokerMetrics metrics = new BrokerMetrics();
        dispatcher.requestMetrics(metrics.requests());
        send(1);
        send(2);
        held.get(1).complete(new ListOffsetsResponseData());
        assertEquals(0, stageCount(metrics, "TotalTimeMs"), "the second response waits for the first");

        held.get(0).complete(new ListOffsetsResponseData());
        correlationIdOf(channel.readOutbound());
        correlationIdOf(channel.readOutbound());
        for (String stage : List.of("RequestQueueTimeMs", "LocalTimeMs", "RemoteTimeMs", "ResponseQueueTimeMs",
                "ResponseSendTimeMs", "TotalTimeMs")) {
            assertEquals(2, stageCount(metrics, stage), stage);
        }
    }

    private static long stageCount(BrokerMetrics metrics, String stage) {
        return metrics.registry().getHistograms()
                .get("kafka.network:type=RequestMetrics,name=" + stage + ",request=ListOffsets").getCount();
    }

    private ByteBuf send(int correlationId) {
        ByteBuf frame = Unpooled.wrappedBuffer(
            WireClient.encodeRequest(new ListOffsetsRequestData().setReplicaId(-1), VERSION, correlationId));
        channel.writeInbound(new FramedRequest(ParsedRequest.parse(frame.nioBuffer()), frame));
        return frame;
    }

    private static int correlationIdOf(ByteBuf response) {
        try {
            return response.getInt(Integer.BYTES); // after the size prefix
        } finally {
            response.release();
        }
    }
}
