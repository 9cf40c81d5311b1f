package io.runnel.it.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.util.List;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.message.ApiVersionsRequestData;
import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.message.MetadataResponseData;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.message.ProduceResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.MemoryRecordsBuilder;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.ApiVersionsRequest;
import org.apache.kafka.common.requests.MetadataRequest;
import org.apache.kafka.common.requests.MetadataResponse;
import org.apache.kafka.common.requests.ProduceRequest;
import org.apache.kafka.common.requests.ProduceResponse;
import org.apache.kafka.common.requests.RequestHeader;
import org.apache.kafka.common.requests.ResponseHeader;

/**
 * Requests the real clients never send, and their responses: the one place these tests touch kafka-clients'
 * internal codec ({@code requests}, {@code record.internal}). Request buffers hold header and body, without
 * the size prefix.
 */
public final class RawRequests {
    /** The last Produce version that names topics (v13 identifies them by id). */
    public static final short PRODUCE_VERSION = 12;
    private static final short METADATA_VERSION = 12;
    public static final short API_VERSIONS_VERSION = 3;
    private static final String CLIENT_ID = "runnel-it-raw";

    private RawRequests() {
    }

    /** One batch of {@code count} small records in the current format (magic 2). */
    public static ByteBuffer recordBatch(int count) {
        return recordBatch(RecordBatch.CURRENT_MAGIC_VALUE, count);
    }

    /** One batch in the message format v1 that Kafka before 0.11 wrote. */
    public static ByteBuffer oldFormatRecordBatch(int count) {
        return recordBatch(RecordBatch.MAGIC_VALUE_V1, count);
    }

    private static ByteBuffer recordBatch(byte magic, int count) {
        MemoryRecordsBuilder builder = MemoryRecords.builder(ByteBuffer.allocate(1024 + count * 64), magic,
                Compression.NONE, TimestampType.CREATE_TIME, 0L);
        long now = System.currentTimeMillis();
        for (int i = 0; i < count; i++) {
            builder.append(now, ("key-" + i).getBytes(), ("value-" + i).getBytes());
        }
        return builder.build().buffer();
    }

    /** A copy of the batch with its last byte (inside the last record's value) flipped: the CRC no longer matches. */
    public static ByteBuffer withFlippedLastByte(ByteBuffer batch) {
        ByteBuffer copy = ByteBuffer.allocate(batch.remaining()).put(batch.duplicate()).flip();
        int last = copy.limit() - 1;
        copy.put(last, (byte) ~copy.get(last));
        return copy;
    }

    /**
     * Produce (acks=1) of the records to one partition, built without the client-side validation the request
     * builder would apply, so that invalid batches reach the broker.
     */
    public static ByteBuffer produce(int correlationId, String topic, int partition, ByteBuffer records) {
        ProduceRequestData.TopicProduceDataCollection topics = new ProduceRequestData.TopicProduceDataCollection();
        topics.add(new ProduceRequestData.TopicProduceData().setName(topic).setPartitionData(List.of(
                new ProduceRequestData.PartitionProduceData().setIndex(partition)
                        .setRecords(MemoryRecords.readableRecords(records.duplicate())))));
        ProduceRequestData data = new ProduceRequestData().setAcks((short) 1).setTimeoutMs(30_000).setTopicData(topics);
        return new ProduceRequest(data, PRODUCE_VERSION)
                .serializeWithHeader(header(ApiKeys.PRODUCE, PRODUCE_VERSION, correlationId));
    }

    /** The single partition's answer to {@link #produce}. */
    public static ProduceResponseData.PartitionProduceResponse producePartitionResponse(ByteBuffer response,
                                                                                       int correlationId) {
        ProduceResponse parsed = (ProduceResponse) AbstractResponse.parseResponse(response,
                header(ApiKeys.PRODUCE, PRODUCE_VERSION, correlationId));
        List<ProduceResponseData.TopicProduceResponse> topics = List.copyOf(parsed.data().responses());
        assertEquals(1, topics.size(), "topics in the produce response");
        assertEquals(1, topics.get(0).partitionResponses().size(), "partitions in the produce response");
        return topics.get(0).partitionResponses().get(0);
    }

    public static ByteBuffer metadata(int correlationId, String topic, boolean allowAutoTopicCreation) {
        MetadataRequestData data = new MetadataRequestData()
                .setTopics(List.of(new MetadataRequestData.MetadataRequestTopic().setName(topic)))
                .setAllowAutoTopicCreation(allowAutoTopicCreation);
        return new MetadataRequest(data, METADATA_VERSION)
                .serializeWithHeader(header(ApiKeys.METADATA, METADATA_VERSION, correlationId));
    }

    public static Errors metadataTopicError(ByteBuffer response, int correlationId, String topic) {
        MetadataResponse parsed = (MetadataResponse) AbstractResponse.parseResponse(response,
                header(ApiKeys.METADATA, METADATA_VERSION, correlationId));
        MetadataResponseData.MetadataResponseTopic found = parsed.data().topics().find(topic);
        if (found == null) {
            throw new AssertionError("topic " + topic + " missing from the metadata response");
        }
        return Errors.forCode(found.errorCode());
    }

    /** Metadata at {@code version} asking for one topic by id alone (a null name), which only v12 and later may do. */
    public static ByteBuffer metadataByTopicId(int correlationId, short version, Uuid topicId) {
        MetadataRequestData data = new MetadataRequestData().setAllowAutoTopicCreation(false)
                .setTopics(List.of(new MetadataRequestData.MetadataRequestTopic().setName(null).setTopicId(topicId)));
        return new MetadataRequest(data, version).serializeWithHeader(header(ApiKeys.METADATA, version, correlationId));
    }

    /** The error of each topic of a Metadata response at {@code version}. */
    public static List<Errors> metadataTopicErrors(ByteBuffer response, int correlationId, short version) {
        MetadataResponse parsed = (MetadataResponse) AbstractResponse.parseResponse(response,
                header(ApiKeys.METADATA, version, correlationId));
        return parsed.data().topics().stream().map(t -> Errors.forCode(t.errorCode())).toList();
    }

    /** ApiVersions claiming {@code version}; a version the broker does not know keeps the v3 body layout. */
    public static ByteBuffer apiVersions(int correlationId, short version) {
        ApiVersionsRequestData data = new ApiVersionsRequestData()
                .setClientSoftwareName("runnel-it").setClientSoftwareVersion("1.0");
        ByteBuffer request = new ApiVersionsRequest(data, API_VERSIONS_VERSION)
                .serializeWithHeader(header(ApiKeys.API_VERSIONS, API_VERSIONS_VERSION, correlationId));
        // The header starts with int16 api key, int16 api version.
        request.putShort(2, version);
        return request;
    }

    /** ApiVersions responses always use header v0; the body version is the one the broker answered with. */
    public static ApiVersionsResponseData apiVersionsResponse(ByteBuffer response, int correlationId,
                                                              short bodyVersion) {
        ResponseHeader header = ResponseHeader.parse(response, (short) 0);
        assertEquals(correlationId, header.correlationId(), "correlation id");
        return new ApiVersionsResponseData(new ByteBufferAccessor(response), bodyVersion);
    }

    private static RequestHeader header(ApiKeys api, short version, int correlationId) {
        return new RequestHeader(api, version, CLIENT_ID, correlationId);
    }
}
