package io.runnel.broker.txn;

/** The producer id and epoch InitProducerId (or, with transaction protocol v2, EndTxn) gives a transactional producer. */
public record ProducerEpoch(long producerId, short epoch) {
}
