package io.runnel.storage;

/**
 * A producer with state in a partition, as DescribeProducers lists it: its epoch, last sequence and timestamp (-1 when
 * its epoch has no batch yet), the coordinator epoch of its last marker and its open transaction's first offset (-1
 * when none).
 */
public record ActiveProducer(long producerId, short epoch, int lastSequence, long lastTimestamp, int coordinatorEpoch,
                             long currentTxnStartOffset) {
}
