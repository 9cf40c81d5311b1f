package io.runnel.it.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.apache.kafka.common.message.DescribeTopicPartitionsRequestData;
import org.apache.kafka.common.message.DescribeTopicPartitionsResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;

/** DescribeTopicPartitions (Admin.describeTopics' API since 3.8): the topic's id and every partition's leader. */
final class DescribeTopicPartitionsScenario implements ApiScenario {
    @Override
    public ApiKeys api() {
        return ApiKeys.DESCRIBE_TOPIC_PARTITIONS;
    }

    @Override
    public void run(Exchange x) throws Exception {
        DescribeTopicPartitionsResponseData response = x.send(new DescribeTopicPartitionsRequestData()
                .setTopics(List.of(new DescribeTopicPartitionsRequestData.TopicRequest().setName(Fixture.TOPIC)))
                .setResponsePartitionLimit(2000));
        DescribeTopicPartitionsResponseData.DescribeTopicPartitionsResponseTopic topic =
                response.topics().find(Fixture.TOPIC);
        assertEquals(Errors.NONE.code(), topic.errorCode(), "topic error");
        assertEquals(x.fixture().topicId(), topic.topicId(), "topic id");
        assertEquals(2, topic.partitions().size(), "partitions");
        assertEquals(KafkaOperations.bits(KafkaOperations.TOPIC), topic.topicAuthorizedOperations(), "authorized operations");
        for (DescribeTopicPartitionsResponseData.DescribeTopicPartitionsResponsePartition p : topic.partitions()) {
            assertEquals(Errors.NONE.code(), p.errorCode(), "partition error");
            assertEquals(x.fixture().nodeId(), p.leaderId(), "leader");
            assertEquals(List.of(x.fixture().nodeId()), p.isrNodes(), "ISR");
        }
    }
}
