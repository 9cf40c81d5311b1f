package io.runnel.it.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.apache.kafka.common.message.ListOffsetsRequestData;
import org.apache.kafka.common.message.ListOffsetsResponseData.ListOffsetsPartitionResponse;
import org.apache.kafka.common.message.ListOffsetsResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;

/**
 * ListOffsets of partition 0 for latest (-1), earliest (-2), a record's timestamp, and from v7 the max timestamp (-3):
 * offsets and timestamps as Kafka gives them, a leader epoch only from v4 (older versions have none).
 */
final class ListOffsetsScenario implements ApiScenario {
    static final long LATEST = -1;
    static final long EARLIEST = -2;
    static final long MAX_TIMESTAMP = -3;
    /** The record whose timestamp the by-timestamp lookup asks for. */
    static final int LOOKED_UP_OFFSET = 5;

    @Override
    public ApiKeys api() {
        return ApiKeys.LIST_OFFSETS;
    }

    @Override
    public void run(Exchange x) throws Exception {
        long byTimestamp = x.fixture().timestamp(LOOKED_UP_OFFSET);
        check(x, lookup(x, LATEST), -1, Fixture.RECORDS_P0, "latest");
        check(x, lookup(x, EARLIEST), -1, 0, "earliest");
        check(x, lookup(x, byTimestamp), byTimestamp, LOOKED_UP_OFFSET, "timestamp " + byTimestamp);
        // Later than every record: no offset.
        ListOffsetsPartitionResponse after = lookup(x, x.fixture().timestamp(Fixture.RECORDS_P0 + 1));
        assertEquals(-1, after.offset(), "offset after the last timestamp");
        if (x.atLeast(7)) {
            check(x, lookup(x, MAX_TIMESTAMP), x.fixture().timestamp(Fixture.RECORDS_P0 - 1), Fixture.RECORDS_P0 - 1,
                    "max timestamp");
        }
    }

    static ListOffsetsPartitionResponse lookup(Exchange x, long timestamp) throws Exception {
        ListOffsetsRequestData.ListOffsetsPartition partition = new ListOffsetsRequestData.ListOffsetsPartition()
                .setPartitionIndex(0).setTimestamp(timestamp);
        if (x.atLeast(4)) {
            partition.setCurrentLeaderEpoch(-1);
        }
        ListOffsetsRequestData request = new ListOffsetsRequestData().setReplicaId(-1).setTopics(List.of(
                new ListOffsetsRequestData.ListOffsetsTopic().setName(Fixture.TOPIC).setPartitions(List.of(partition))));
        ListOffsetsResponseData response = x.send(request);
        assertEquals(1, response.topics().size(), "topics");
        assertEquals(Fixture.TOPIC, response.topics().get(0).name(), "topic");
        ListOffsetsPartitionResponse answer = response.topics().get(0).partitions().get(0);
        assertEquals(Errors.NONE.code(), answer.errorCode(), "partition error for timestamp " + timestamp);
        assertEquals(0, answer.partitionIndex(), "partition");
        return answer;
    }

    /** The current leader epoch of partition 0, from the latest ListOffsets version. */
    static int leaderEpoch(Exchange x) throws Exception {
        ListOffsetsRequestData request = new ListOffsetsRequestData().setReplicaId(-1).setTopics(List.of(
                new ListOffsetsRequestData.ListOffsetsTopic().setName(Fixture.TOPIC).setPartitions(List.of(
                        new ListOffsetsRequestData.ListOffsetsPartition().setPartitionIndex(0).setTimestamp(LATEST)))));
        ListOffsetsResponseData response = x.sendAt(request, ApiKeys.LIST_OFFSETS.latestVersion(false));
        return response.topics().get(0).partitions().get(0).leaderEpoch();
    }

    static void check(Exchange x, ListOffsetsPartitionResponse answer, long timestamp, long offset, String what) {
        assertEquals(offset, answer.offset(), "offset of " + what);
        assertEquals(timestamp, answer.timestamp(), "timestamp of " + what);
        if (x.atLeast(4)) {
            assertTrue(answer.leaderEpoch() >= 0, "leader epoch of " + what + ": " + answer.leaderEpoch());
        } else {
            assertEquals(-1, answer.leaderEpoch(), "v" + x.version() + " has no leader epoch");
        }
    }
}
