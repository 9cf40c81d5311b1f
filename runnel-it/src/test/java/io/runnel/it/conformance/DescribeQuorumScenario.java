package io.runnel.it.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.apache.kafka.common.message.DescribeQuorumRequestData;
import org.apache.kafka.common.message.DescribeQuorumResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;

/**
 * DescribeQuorum of {@code __cluster_metadata-0}: the lone voter leads with its log end at the high watermark;
 * fetch and caught-up times from v1, the voters' directory ids and controller endpoints from v2; another partition
 * is unknown.
 */
final class DescribeQuorumScenario implements ApiScenario {
    private static final String METADATA_TOPIC = "__cluster_metadata";

    @Override
    public ApiKeys api() {
        return ApiKeys.DESCRIBE_QUORUM;
    }

    @Override
    public void run(Exchange x) throws Exception {
        Fixture f = x.fixture();
        DescribeQuorumResponseData response = x.send(request(0));
        assertEquals(Errors.NONE.code(), response.errorCode(), "error");
        DescribeQuorumResponseData.PartitionData partition = response.topics().get(0).partitions().get(0);
        assertEquals(Errors.NONE.code(), partition.errorCode(), "partition error");
        assertEquals(f.nodeId(), partition.leaderId(), "leader");
        assertTrue(partition.leaderEpoch() > 0, "leader epoch " + partition.leaderEpoch());
        assertTrue(partition.highWatermark() > 0, "high watermark " + partition.highWatermark());
        assertEquals(1, partition.currentVoters().size(), "voters");
        DescribeQuorumResponseData.ReplicaState voter = partition.currentVoters().get(0);
        assertEquals(f.nodeId(), voter.replicaId(), "voter id");
        assertTrue(voter.logEndOffset() >= partition.highWatermark(), "voter log end " + voter.logEndOffset());
        if (x.atLeast(1)) {
            assertTrue(voter.lastCaughtUpTimestamp() > 0, "caught-up time " + voter.lastCaughtUpTimestamp());
        }
        if (x.atLeast(2)) {
            assertEquals(f.directoryId(), voter.replicaDirectoryId(), "the directory.id of the voter's meta.properties");
            assertEquals(1, response.nodes().size(), "nodes");
            assertEquals(f.nodeId(), response.nodes().iterator().next().nodeId(), "node id");
        }

        DescribeQuorumResponseData unknown = x.send(request(1));
        assertEquals(Errors.UNKNOWN_TOPIC_OR_PARTITION.code(),
                unknown.topics().get(0).partitions().get(0).errorCode(), "another partition");
    }

    private static DescribeQuorumRequestData request(int partition) {
        return new DescribeQuorumRequestData().setTopics(List.of(new DescribeQuorumRequestData.TopicData()
                .setTopicName(METADATA_TOPIC)
                .setPartitions(List.of(new DescribeQuorumRequestData.PartitionData().setPartitionIndex(partition)))));
    }
}
