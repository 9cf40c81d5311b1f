package io.runnel.proxy;

import io.runnel.http.HttpException;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.InvalidConfigurationException;
import org.apache.kafka.common.errors.InvalidPartitionsException;
import org.apache.kafka.common.errors.InvalidReplicationFactorException;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.PolicyViolationException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/** The REST proxy's refusals, with Confluent REST Proxy's error codes and messages. */
public final class RestErrors {
    private RestErrors() {
    }

    public static HttpException topicNotFound() {
        return new HttpException(40401, "Topic not found.");
    }

    public static HttpException partitionNotFound() {
        return new HttpException(40402, "Partition not found.");
    }

    /** API v3's answer for a topic or partition the cluster does not have, Kafka's message. */
    public static HttpException topicPartitionNotHosted() {
        return new HttpException(40403, "This server does not host this topic-partition.");
    }

    public static HttpException consumerInstanceNotFound() {
        return new HttpException(40403, "Consumer instance not found.");
    }

    public static HttpException consumerFormatMismatch() {
        return new HttpException(40601, "The requested embedded data format does not match the deserializer for "
                + "this consumer instance");
    }

    public static HttpException alreadySubscribed() {
        return new HttpException(40901, "Consumer cannot subscribe the the specified target because it has already "
                + "subscribed to other topics.");
    }

    public static HttpException consumerAlreadyExists() {
        return new HttpException(40902, "Consumer with specified consumer ID already exists in the specified "
                + "consumer group.");
    }

    public static HttpException illegalState(String detail) {
        return new HttpException(40903, "Illegal state: " + detail);
    }

    public static HttpException keySchemaMissing() {
        return new HttpException(42201, "Request includes keys but does not include key schema");
    }

    public static HttpException valueSchemaMissing() {
        return new HttpException(42202, "Request includes values but does not include value schema");
    }

    public static HttpException jsonAvroConversion(String detail) {
        return new HttpException(42203, "Conversion of JSON to Avro failed: " + detail);
    }

    public static HttpException invalidConsumerConfig(String detail) {
        return new HttpException(42204, "Invalid consumer configuration: " + detail);
    }

    public static HttpException invalidSchema(String detail) {
        return new HttpException(42205, "Invalid schema: " + detail);
    }

    /** A body that parsed but says something impossible: Jackson's mapping errors in Confluent's proxy. */
    public static HttpException unprocessable(String detail) {
        return new HttpException(422, "Unprocessable entity: " + detail);
    }

    /** A Kafka failure as Confluent answers it: 40401 / 40402 for a topic or partition that is not there. */
    public static HttpException kafka(Throwable failure) {
        if (failure instanceof HttpException e) {
            return e;
        }
        if (failure instanceof UnknownTopicOrPartitionException) {
            return topicNotFound();
        }
        return new HttpException(kafkaErrorCode(failure), (failure instanceof RetriableException
                ? "Retriable Kafka error: " : "Kafka error: ") + failure.getMessage());
    }

    /**
     * A Kafka failure as API v3 answers it: 40002 (400) for a request Kafka refuses (a topic that exists, a bad
     * partition count, replication factor, name or config), 40403 for a topic or partition that is not there.
     */
    public static HttpException kafkaV3(Throwable failure) {
        if (failure instanceof TopicExistsException || failure instanceof InvalidPartitionsException
                || failure instanceof InvalidReplicationFactorException || failure instanceof InvalidTopicException
                || failure instanceof InvalidConfigurationException || failure instanceof PolicyViolationException
                || failure instanceof InvalidRequestException) {
            return new HttpException(40002, failure.getMessage());
        }
        if (failure instanceof UnknownTopicOrPartitionException) {
            return topicPartitionNotHosted();
        }
        return kafka(failure);
    }

    /** 50003 for a retriable Kafka error, 50002 for any other: a produced record's error code. */
    public static int kafkaErrorCode(Throwable failure) {
        return failure instanceof RetriableException ? 50003 : failure instanceof KafkaException ? 50002 : 50001;
    }
}
