package io.runnel.it.wire;

import java.nio.ByteBuffer;
import java.util.Set;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.apache.kafka.common.message.ProduceResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.ProduceResponse;
import org.apache.kafka.common.requests.RequestHeader;
import org.apache.kafka.common.requests.ResponseHeader;

/** Reads the broker's answer to a fuzzed request as the client that sent that api key and version would. */
public final class FuzzResponses {
    private FuzzResponses() {
    }

    /** What an answer says: whether it carries an error code, and the offset a Produce to the log was given. */
    public record Answer(boolean error, long logBaseOffset) {
    }

    /**
     * Parses a response (without its size prefix) to a request with this header.
     *
     * @param logTopic the topic (name, or id from Produce v13) whose acknowledged base offsets in partition 0 are
     *                 reported; -1 when none
     * @throws RuntimeException when the response cannot be read at that version
     */
    public static Answer read(short apiKey, short apiVersion, int correlationId, ByteBuffer response,
                              String logTopic, Uuid logTopicId) {
        ApiKeys key = ApiKeys.forId(apiKey);
        if (key == ApiKeys.API_VERSIONS) {
            ResponseHeader header = ResponseHeader.parse(response, (short) 0);
            check(correlationId, header.correlationId());
            // An ApiVersions version the broker does not know is answered at v0 (KIP-511).
            short bodyVersion = key.isVersionSupported(apiVersion) ? apiVersion : 0;
            ApiVersionsResponseData data = new ApiVersionsResponseData(new ByteBufferAccessor(response), bodyVersion);
            return new Answer(data.errorCode() != Errors.NONE.code(), -1);
        }
        AbstractResponse parsed = AbstractResponse.parseResponse(response,
                new RequestHeader(key, apiVersion, "", correlationId));
        boolean error = parsed.errorCounts().keySet().stream().anyMatch(e -> e != Errors.NONE);
        return new Answer(error, parsed instanceof ProduceResponse produce
                ? logBaseOffset(produce.data(), logTopic, logTopicId) : -1);
    }

    private static long logBaseOffset(ProduceResponseData data, String logTopic, Uuid logTopicId) {
        for (ProduceResponseData.TopicProduceResponse topic : data.responses()) {
            if (topic.name().equals(logTopic) || topic.topicId().equals(logTopicId)) {
                for (ProduceResponseData.PartitionProduceResponse partition : topic.partitionResponses()) {
                    if (partition.index() == 0 && partition.errorCode() == Errors.NONE.code()) {
                        return partition.baseOffset();
                    }
                }
            }
        }
        return -1;
    }

    /** Requests a broker may rightly hold for as long as the request asks: long polls, rebalances, acks=all. */
    private static final Set<ApiKeys> MAY_WAIT = Set.of(ApiKeys.FETCH, ApiKeys.JOIN_GROUP, ApiKeys.SYNC_GROUP,
            ApiKeys.PRODUCE, ApiKeys.DELETE_RECORDS, ApiKeys.CREATE_TOPICS, ApiKeys.DELETE_TOPICS,
            ApiKeys.CREATE_PARTITIONS);

    public static boolean mayWait(short apiKey) {
        return ApiKeys.hasId(apiKey) && MAY_WAIT.contains(ApiKeys.forId(apiKey));
    }

    private static void check(int expected, int actual) {
        if (expected != actual) {
            throw new IllegalStateException("correlation id " + actual + " answers request " + expected);
        }
    }
}
