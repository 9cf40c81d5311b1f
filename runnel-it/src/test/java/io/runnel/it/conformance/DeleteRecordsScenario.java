package io.runnel.it.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.apache.kafka.common.message.DeleteRecordsRequestData;
import org.apache.kafka.common.message.DeleteRecordsResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;

/** DeleteRecords moves the log start of the trim topic to version + 1: the answer's low watermark. */
final class DeleteRecordsScenario implements ApiScenario {
    @Override
    public ApiKeys api() {
        return ApiKeys.DELETE_RECORDS;
    }

    @Override
    public void run(Exchange x) throws Exception {
        long before = x.version() + 1;
        List<DeleteRecordsRequestData.DeleteRecordsTopic> topics = List.of(new DeleteRecordsRequestData.DeleteRecordsTopic().setName(Fixture.TRIM_TOPIC).setPartitions(List.of(
                new DeleteRecordsRequestData.DeleteRecordsPartition().setPartitionIndex(0).setOffset(before))));
        DeleteRecordsResponseData response = x.send(new DeleteRecordsRequestData().setTopics(topics).setTimeoutMs(30_000));
        DeleteRecordsResponseData.DeleteRecordsPartitionResult partition =
                response.topics().find(Fixture.TRIM_TOPIC).partitions().find(0);
        assertEquals(Errors.NONE.code(), partition.errorCode(), "partition error");
        assertEquals(before, partition.lowWatermark(), "low watermark");
    }
}
