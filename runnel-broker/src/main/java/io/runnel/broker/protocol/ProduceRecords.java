package io.runnel.broker.protocol;

import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.record.internal.MemoryRecords;

import java.nio.ByteBuffer;

/** The record batches of a produce request, without exposing kafka-clients' internal record classes. */
public final class ProduceRecords {
    private ProduceRecords() {
    }

    /**
     * The partition's record batches as a view of the network frame (valid until the handler's future completes),
     * or null when the request carries none.
     */
    public static ByteBuffer buffer(ProduceRequestData.PartitionProduceData partition) {
        return partition.records() instanceof MemoryRecords records ? records.buffer() : null;
    }
}
