package io.runnel.broker.protocol;

import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.message.ProduceRequestData.PartitionProduceData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ParsedRequestTest {
    @Test
    void parsesHeaderV1AndV2Requests() {
        for (short version : new short[] {4, 12}) { // request header v1, then v2 (flexible)
            MetadataRequestData body = new MetadataRequestData().setTopics(List.of(
                new MetadataRequestData.MetadataRequestTopic().setName("orders"))).setAllowAutoTopicCreation(false);
            ParsedRequest parsed = ParsedRequest.parse(WireClient.encodeRequest(body, version, 77));
            assertEquals(ApiKeys.METADATA, parsed.apiKey());
            assertEquals(version, parsed.apiVersion());
            assertEquals(77, parsed.correlationId());
            assertEquals("wire-client", parsed.clientId());
            assertEquals("orders", ((MetadataRequestData) parsed.data()).topics().get(0).name());
        }
    }

    @Test
    void malformedInputNamesTheApiAndVersion() {
        ByteBuffer frame = WireClient.encodeRequest(new MetadataRequestData(), (short) 12, 1);
        frame.limit(frame.limit() - 2);
        InvalidRequestException e = assertThrows(InvalidRequestException.class, () -> ParsedRequest.parse(frame));
        assertTrue(e.getMessage().contains("Metadata v12"), e.getMessage());
    }

    @Test
    void onlyProduceWithAcksZeroExpectsNoResponse() {
        assertFalse(ParsedRequest.parse(WireClient.encodeRequest(produce((short) 0, null), (short) 12, 1)).expectsResponse());
        assertTrue(ParsedRequest.parse(WireClient.encodeRequest(produce((short) -1, null), (short) 12, 1)).expectsResponse());
        assertTrue(ParsedRequest.parse(WireClient.encodeRequest(new MetadataRequestData(), (short) 12, 1)).expectsResponse());
    }

    @Test
    void produceRecordsAreAViewOfTheFrame() {
        MemoryRecords records = MemoryRecords.withRecords(Compression.NONE,
            new SimpleRecord("key".getBytes(StandardCharsets.UTF_8), "value".getBytes(StandardCharsets.UTF_8)));
        ByteBuffer frame = WireClient.encodeRequest(produce((short) 1, records), (short) 12, 1);
        ProduceRequestData data = (ProduceRequestData) ParsedRequest.parse(frame).data();

        ByteBuffer batches = ProduceRecords.buffer(data.topicData().iterator().next().partitionData().get(0));
        assertEquals(records.buffer(), batches);
        assertSame(frame.array(), batches.array(), "no copy of the record bytes");
    }

    @Test
    void absentProduceRecordsAreNull() {
        ProduceRequestData data = (ProduceRequestData) ParsedRequest.parse(
            WireClient.encodeRequest(produce((short) 1, null), (short) 12, 1)).data();
        assertNull(ProduceRecords.buffer(data.topicData().iterator().next().partitionData().get(0)));
    }

    private static ProduceRequestData produce(short acks, MemoryRecords records) {
        ProduceRequestData.TopicProduceDataCollection topics = new ProduceRequestData.TopicProduceDataCollection();
        topics.add(new ProduceRequestData.TopicProduceData().setName("orders")
            .setPartitionData(List.of(new PartitionProduceData().setIndex(0).setRecords(records))));
        return new ProduceRequestData().setAcks(acks).setTimeoutMs(1000).setTopicData(topics);
    }
}
