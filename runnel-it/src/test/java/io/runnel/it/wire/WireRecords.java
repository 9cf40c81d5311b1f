package io.runnel.it.wire;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.record.internal.BaseRecords;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.MemoryRecordsBuilder;
import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.record.internal.RecordBatch;

/** Record sections of Produce requests and Fetch responses, for tests that speak the protocol directly. */
public final class WireRecords {
    private WireRecords() {
    }

    /** One record as a consumer sees it. */
    public record FetchedRecord(long offset, long timestamp, String value) {
    }

    /** A partition's produce data: one batch of the values, timestamps {@code firstTimestamp}, +1, +2, ... (CreateTime). */
    public static ProduceRequestData.PartitionProduceData produceData(int partition, long firstTimestamp, List<String> values) {
        return idempotentProduceData(partition, firstTimestamp, values, RecordBatch.NO_PRODUCER_ID,
                RecordBatch.NO_PRODUCER_EPOCH, RecordBatch.NO_SEQUENCE);
    }

    /** The same, as an idempotent producer writes it: its id and epoch, and the batch's first sequence number. */
    public static ProduceRequestData.PartitionProduceData idempotentProduceData(int partition, long firstTimestamp,
                                                                                List<String> values, long producerId,
                                                                                short producerEpoch, int baseSequence) {
        return produceData(partition, firstTimestamp, values, producerId, producerEpoch, baseSequence, false);
    }

    /** The same, as a transactional producer writes it inside its transaction. */
    public static ProduceRequestData.PartitionProduceData transactionalProduceData(int partition, long firstTimestamp,
                                                                                   List<String> values, long producerId,
                                                                                   short producerEpoch, int baseSequence) {
        return produceData(partition, firstTimestamp, values, producerId, producerEpoch, baseSequence, true);
    }

    private static ProduceRequestData.PartitionProduceData produceData(int partition, long firstTimestamp,
                                                                       List<String> values, long producerId,
                                                                       short producerEpoch, int baseSequence,
                                                                       boolean transactional) {
        MemoryRecordsBuilder builder = MemoryRecords.builder(ByteBuffer.allocate(1024 + values.size() * 64),
                RecordBatch.CURRENT_MAGIC_VALUE, Compression.NONE, TimestampType.CREATE_TIME, 0L,
                RecordBatch.NO_TIMESTAMP, producerId, producerEpoch, baseSequence, transactional,
                RecordBatch.NO_PARTITION_LEADER_EPOCH);
        for (int i = 0; i < values.size(); i++) {
            builder.append(firstTimestamp + i, null, values.get(i).getBytes(StandardCharsets.UTF_8));
        }
        return new ProduceRequestData.PartitionProduceData().setIndex(partition).setRecords(builder.build());
    }

    /** The data records of a fetched partition, in log order (transaction markers are not records to a consumer). */
    public static List<FetchedRecord> records(FetchResponseData.PartitionData partition) {
        BaseRecords records = partition.records();
        List<FetchedRecord> fetched = new ArrayList<>();
        if (records == null) {
            return fetched;
        }
        for (RecordBatch batch : ((MemoryRecords) records).batches()) {
            if (batch.isControlBatch()) {
                continue;
            }
            for (Record record : batch) {
                fetched.add(new FetchedRecord(record.offset(), record.timestamp(),
                        StandardCharsets.UTF_8.decode(record.value()).toString()));
            }
        }
        return fetched;
    }
}
