package io.runnel.storage;

import java.util.Map;

import io.runnel.storage.record.CompactedRecords;

/**
 * The batches the cleaner keeps, even emptied, so that each producer's state reloads from the log (Kafka's rule): a
 * producer's last data batch, or, for a producer whose current epoch has no data batch (a marker of transaction
 * version 2 bumped its epoch), its markers of that epoch.
 */
record LastProducerBatches(Map<Long, Long> lastDataOffsets, Map<Long, Short> epochsWithoutData)
        implements CompactedRecords.LastProducerBatches {
    @Override
    public boolean isLast(long producerId, short producerEpoch, long lastOffset, boolean control) {
        Long lastData = lastDataOffsets.get(producerId);
        if (lastData != null) {
            return lastData == lastOffset;
        }
        Short epoch = epochsWithoutData.get(producerId);
        return control && epoch != null && epoch == producerEpoch;
    }
}
