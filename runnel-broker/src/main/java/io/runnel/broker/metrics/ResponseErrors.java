package io.runnel.broker.metrics;

import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.message.ProduceResponseData;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;

/**
 * Counts a response's error codes into ErrorsPerSec as Kafka's errorCounts() does for the two hot APIs: Produce per
 * partition, Fetch its top-level error plus one per partition. Any other response counts once, as NONE or as the
 * error the whole request failed with; the per-item errors inside other APIs' bodies are not broken out.
 */
public final class ResponseErrors {
    private ResponseErrors() {
    }

    /** Marks an error's meter at once; returns 1 for NONE, which the caller adds up to mark once per response. */
    private static int countError(ApiRequestMetrics metrics, short code) {
        if (code == Errors.NONE.code()) {
            return 1;
        }
        metrics.errors(Errors.forCode(code), 1);
        return 0;
    }

    /** @param failure the error the request was answered with as a whole, or null */
    public static void record(ApiRequestMetrics metrics, ApiMessage response, Throwable failure) {
        if (failure != null) {
            metrics.errors(Errors.forException(failure), 1);
        } else if (response instanceof ProduceResponseData produce) {
            long none = 0;
            for (ProduceResponseData.TopicProduceResponse topic : produce.responses()) {
                for (ProduceResponseData.PartitionProduceResponse partition : topic.partitionResponses()) {
                    none += countError(metrics, partition.errorCode());
                }
            }
            metrics.errors(Errors.NONE, none);
        } else if (response instanceof FetchResponseData fetch) {
            long none = countError(metrics, fetch.errorCode());
            for (FetchResponseData.FetchableTopicResponse topic : fetch.responses()) {
                for (FetchResponseData.PartitionData partition : topic.partitions()) {
                    none += countError(metrics, partition.errorCode());
                }
            }
            metrics.errors(Errors.NONE, none);
        } else {
            metrics.errors(Errors.NONE, 1);
        }
    }
}
