package io.runnel.it.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.apache.kafka.common.ElectionType;
import org.apache.kafka.common.message.ElectLeadersRequestData;
import org.apache.kafka.common.message.ElectLeadersResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;

/**
 * ElectLeaders on one node: a preferred election of a partition its preferred replica leads is ELECTION_NOT_NEEDED,
 * of an absent partition UNKNOWN_TOPIC_OR_PARTITION; an unclean one of a partition with a leader ELECTION_NOT_NEEDED;
 * over every partition, the partitions needing no election are left out of the answer.
 */
final class ElectLeadersScenario implements ApiScenario {
    private static final int ABSENT_PARTITION = 9;

    @Override
    public ApiKeys api() {
        return ApiKeys.ELECT_LEADERS;
    }

    @Override
    public void run(Exchange x) throws Exception {
        ElectLeadersResponseData.ReplicaElectionResult named = elect(x, ElectionType.PREFERRED,
                new ElectLeadersRequestData.TopicPartitionsCollection(List.of(new ElectLeadersRequestData.TopicPartitions()
                        .setTopic(Fixture.TOPIC).setPartitions(List.of(0, ABSENT_PARTITION))).iterator()))
                .replicaElectionResults().get(0);
        assertEquals(Fixture.TOPIC, named.topic(), "topic");
        assertEquals(Errors.ELECTION_NOT_NEEDED.code(), named.partitionResult().get(0).errorCode(), "led partition");
        assertEquals(Errors.UNKNOWN_TOPIC_OR_PARTITION.code(), named.partitionResult().get(1).errorCode(),
                "absent partition");
        assertTrue(elect(x, ElectionType.PREFERRED, null).replicaElectionResults().isEmpty(),
                "every partition is led by its preferred replica");
        if (x.version() >= 1) {
            ElectLeadersResponseData unclean = elect(x, ElectionType.UNCLEAN,
                    new ElectLeadersRequestData.TopicPartitionsCollection(List.of(new ElectLeadersRequestData
                            .TopicPartitions().setTopic(Fixture.TOPIC).setPartitions(List.of(1))).iterator()));
            assertEquals(Errors.NONE.code(), unclean.errorCode(), "top-level error");
            assertEquals(Errors.ELECTION_NOT_NEEDED.code(),
                    unclean.replicaElectionResults().get(0).partitionResult().get(0).errorCode(), "unclean, led");
        }
    }

    private static ElectLeadersResponseData elect(Exchange x, ElectionType type,
                                                  ElectLeadersRequestData.TopicPartitionsCollection partitions)
            throws Exception {
        return x.send(new ElectLeadersRequestData().setElectionType(type.value).setTopicPartitions(partitions)
                .setTimeoutMs(30_000));
    }
}
