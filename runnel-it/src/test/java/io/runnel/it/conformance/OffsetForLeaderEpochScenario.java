package io.runnel.it.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.apache.kafka.common.message.OffsetForLeaderEpochRequestData;
import org.apache.kafka.common.message.OffsetForLeaderEpochRequestData.OffsetForLeaderPartition;
import org.apache.kafka.common.message.OffsetForLeaderEpochRequestData.OffsetForLeaderTopic;
import org.apache.kafka.common.message.OffsetForLeaderEpochResponseData;
import org.apache.kafka.common.message.OffsetForLeaderEpochResponseData.EpochEndOffset;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;

/** OffsetForLeaderEpoch as a consumer validates its position: the current epoch ends at the log end offset. */
final class OffsetForLeaderEpochScenario implements ApiScenario {
    @Override
    public ApiKeys api() {
        return ApiKeys.OFFSET_FOR_LEADER_EPOCH;
    }

    @Override
    public void run(Exchange x) throws Exception {
        int epoch = ListOffsetsScenario.leaderEpoch(x);
        OffsetForLeaderEpochRequestData.OffsetForLeaderTopicCollection topics =
                new OffsetForLeaderEpochRequestData.OffsetForLeaderTopicCollection();
        topics.add(new OffsetForLeaderTopic().setTopic(Fixture.TOPIC).setPartitions(List.of(
                new OffsetForLeaderPartition().setPartition(0).setCurrentLeaderEpoch(epoch).setLeaderEpoch(epoch))));
        OffsetForLeaderEpochRequestData request = new OffsetForLeaderEpochRequestData().setTopics(topics);
        if (x.atLeast(3)) {
            request.setReplicaId(-1);
        }
        OffsetForLeaderEpochResponseData response = x.send(request);
        EpochEndOffset partition = response.topics().find(Fixture.TOPIC).partitions().get(0);
        assertEquals(Errors.NONE.code(), partition.errorCode(), "partition error");
        assertEquals(0, partition.partition(), "partition");
        assertEquals(epoch, partition.leaderEpoch(), "leader epoch");
        assertEquals(Fixture.RECORDS_P0, partition.endOffset(), "end offset of the current epoch");
    }
}
