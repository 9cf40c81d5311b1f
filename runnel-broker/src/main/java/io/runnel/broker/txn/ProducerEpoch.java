package io.runnel.broker.txn;

/** The producer id and epoch InitProducerId gives a transactional producer. */
public record ProducerEpoch(long producerId, short epoch) {
}
