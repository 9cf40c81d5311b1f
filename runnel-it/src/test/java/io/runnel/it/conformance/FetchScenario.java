package io.runnel.it.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.runnel.it.wire.WireRecords;
import io.runnel.it.wire.WireRecords.FetchedRecord;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;

/**
 * Fetch of partition 0 from offset 0, read_uncommitted and read_committed: every record with its offset, timestamp
 * and value, and the partition's watermarks; from v7 a session is opened and an incremental fetch with nothing new
 * answers no partition.
 */
final class FetchScenario implements ApiScenario {
    @Override
    public ApiKeys api() {
        return ApiKeys.FETCH;
    }

    @Override
    public void run(Exchange x) throws Exception {
        Fixture f = x.fixture();
        FetchRequestData request = fetch(x, 0);
        if (x.atLeast(7)) {
            request.setSessionId(0).setSessionEpoch(0);
        }
        FetchResponseData response = x.send(request);
        assertEquals(Errors.NONE.code(), response.errorCode(), "top-level error");
        FetchResponseData.FetchableTopicResponse topic = response.responses().get(0);
        if (x.atLeast(13)) {
            assertEquals(f.topicId(), topic.topicId(), "topic id");
        } else {
            assertEquals(Fixture.TOPIC, topic.topic(), "topic name");
        }
        FetchResponseData.PartitionData partition = topic.partitions().get(0);
        assertEquals(Errors.NONE.code(), partition.errorCode(), "partition error");
        assertEquals(Fixture.RECORDS_P0, partition.highWatermark(), "high watermark");
        assertEquals(Fixture.RECORDS_P0, partition.lastStableOffset(), "last stable offset");
        assertEquals(x.atLeast(5) ? 0 : -1, partition.logStartOffset(), "log start offset (v5+)");
        List<FetchedRecord> expected = new ArrayList<>();
        for (int offset = 0; offset < Fixture.RECORDS_P0; offset++) {
            expected.add(new FetchedRecord(offset, f.timestamp(offset), Fixture.value(0, offset)));
        }
        assertEquals(expected, WireRecords.records(partition), "records");
        assertEquals(null, partition.abortedTransactions(), "aborted transactions of a read_uncommitted fetch");

        // librdkafka's default: read_committed, which lists the aborted transactions (none) and reads up to the LSO.
        FetchResponseData committed = x.send(fetch(x, 0).setIsolationLevel((byte) 1));
        FetchResponseData.PartitionData committedPartition = committed.responses().get(0).partitions().get(0);
        assertEquals(Errors.NONE.code(), committedPartition.errorCode(), "read_committed partition error");
        assertEquals(expected, WireRecords.records(committedPartition), "read_committed records");
        assertEquals(List.of(), committedPartition.abortedTransactions(), "aborted transactions of a read_committed fetch");

        if (x.atLeast(7)) {
            assertNotEquals(0, response.sessionId(), "a session for the fetch with epoch 0");
            // As a consumer does once it has read everything: the new position, in the session's next epoch.
            FetchRequestData incremental = fetch(x, Fixture.RECORDS_P0).setSessionId(response.sessionId())
                    .setSessionEpoch(1);
            FetchResponseData next = x.send(incremental);
            assertEquals(Errors.NONE.code(), next.errorCode(), "incremental fetch error");
            assertEquals(response.sessionId(), next.sessionId(), "session id");
            assertTrue(next.responses().isEmpty(), "an incremental fetch with nothing new answers no partition");
        }
    }

    /** A sessionless fetch of partition 0 from {@code offset}. */
    private static FetchRequestData fetch(Exchange x, long offset) {
        FetchRequestData.FetchPartition partition = new FetchRequestData.FetchPartition().setPartition(0)
                .setFetchOffset(offset).setPartitionMaxBytes(1 << 20);
        if (x.atLeast(9)) {
            partition.setCurrentLeaderEpoch(-1);
        }
        FetchRequestData.FetchTopic topic = new FetchRequestData.FetchTopic().setPartitions(List.of(partition));
        if (x.atLeast(13)) {
            topic.setTopicId(x.fixture().topicId());
        } else {
            topic.setTopic(Fixture.TOPIC);
        }
        return new FetchRequestData().setReplicaId(-1).setMaxWaitMs(0).setMinBytes(1).setMaxBytes(1 << 20)
                .setTopics(List.of(topic));
    }
}
