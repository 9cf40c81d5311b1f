package io.runnel.broker.protocol;

import io.runnel.storage.record.BatchHeader;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.record.internal.MemoryRecords;

import java.nio.ByteBuffer;

/** The record batches of a fetch response partition, without exposing kafka-clients' internal record classes. */
public final class FetchedRecords {
    private FetchedRecords() {
    }

    /**
     * The whole batches as read by the inter-broker client (a heap copy of the response), or an empty buffer: as in
     * Kafka, a response bounded by bytes may end inside a batch, which the next fetch asks for again.
     */
    public static ByteBuffer buffer(FetchResponseData.PartitionData partition) {
        if (!(partition.records() instanceof MemoryRecords records)) {
            return ByteBuffer.allocate(0);
        }
        ByteBuffer buffer = records.buffer();
        return buffer.limit(buffer.position() + BatchHeader.wholeBatchesLength(buffer));
    }
}
