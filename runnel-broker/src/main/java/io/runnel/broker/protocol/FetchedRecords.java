package io.runnel.broker.protocol;

import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.record.internal.MemoryRecords;

import java.nio.ByteBuffer;

/** The record batches of a fetch response partition, without exposing kafka-clients' internal record classes. */
public final class FetchedRecords {
    private FetchedRecords() {
    }

    /** The batches as read by the inter-broker client (a heap copy of the response), or an empty buffer. */
    public static ByteBuffer buffer(FetchResponseData.PartitionData partition) {
        return partition.records() instanceof MemoryRecords records ? records.buffer() : ByteBuffer.allocate(0);
    }
}
