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

    /** @param failure the error the request was answered with as a whole, or null */
    public static void record(ApiRequestMetrics metrics, ApiMessage response, Throwable failure) {
        if (failure != null) {
            metrics.errors(Errors.forException(failure), 1);
        } else if (response instanceof ProduceResponseData produce) {
            for (ProduceResponseData.TopicProduceResponse topic : produce.responses()) {
                for (ProduceResponseData.PartitionProduceResponse partition : topic.partitionResponses()) {
                    metrics.errors(Errors.forCode(partition.errorCode()), 1);
                }
            }
        } else if (response instanceof FetchResponseData fetch) {
            metrics.errors(Errors.forCode(fetch.errorCode()), 1);
            for (FetchResponseData.FetchableTopicResponse topic : fetch.responses()) {
                for (FetchResponseData.PartitionData partition : topic.partitions()) {
                    metrics.errors(Errors.forCode(partition.errorCode()), 1);
                }
            }
        } else {
            metrics.errors(Errors.NONE, 1);
        }
    }
}
