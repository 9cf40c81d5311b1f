package io.runnel.it.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Set;
import org.apache.kafka.common.message.ConsumerGroupDescribeRequestData;
import org.apache.kafka.common.message.ConsumerGroupDescribeResponseData;
import org.apache.kafka.common.message.ConsumerGroupDescribeResponseData.DescribedGroup;
import org.apache.kafka.common.message.ConsumerGroupDescribeResponseData.Member;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;

/** ConsumerGroupDescribe of the consumer-protocol group: Stable, its member subscribed to the topic and owning both partitions. */
final class ConsumerGroupDescribeScenario implements ApiScenario {
    @Override
    public ApiKeys api() {
        return ApiKeys.CONSUMER_GROUP_DESCRIBE;
    }

    @Override
    public void run(Exchange x) throws Exception {
        ConsumerGroupDescribeResponseData response = x.send(new ConsumerGroupDescribeRequestData()
                .setGroupIds(List.of(Fixture.CONSUMER_GROUP)).setIncludeAuthorizedOperations(true));
        assertEquals(1, response.groups().size(), "groups");
        DescribedGroup group = response.groups().get(0);
        assertEquals(Fixture.CONSUMER_GROUP, group.groupId(), "group");
        assertEquals(Errors.NONE.code(), group.errorCode(), "error");
        assertEquals("Stable", group.groupState(), "state");
        assertEquals(KafkaOperations.bits(KafkaOperations.GROUP), group.authorizedOperations(), "authorized operations");
        assertEquals(1, group.members().size(), "members");
        Member member = group.members().get(0);
        assertEquals(Fixture.CONSUMER_GROUP + "-member", member.clientId(), "client id");
        assertEquals(List.of(Fixture.TOPIC), member.subscribedTopicNames(), "subscription");
        assertEquals(1, member.assignment().topicPartitions().size(), "assigned topics");
        assertEquals(x.fixture().topicId(), member.assignment().topicPartitions().get(0).topicId(), "assigned topic");
        assertEquals(Set.of(0, 1), Set.copyOf(member.assignment().topicPartitions().get(0).partitions()),
                "assigned partitions");
    }
}
