package io.runnel.broker.handlers;

import org.apache.kafka.common.protocol.Errors;

/**
 * The error a transactional request's version can carry: PRODUCER_FENCED (KIP-588) exists from InitProducerId v4,
 * AddPartitionsToTxn v2, AddOffsetsToTxn v2 and EndTxn v2; older clients get INVALID_PRODUCER_EPOCH, as Kafka answers.
 */
final class TransactionErrors {
    private TransactionErrors() {
    }

    static Errors forVersion(Throwable error, short version, int firstVersionWithProducerFenced) {
        Errors code = Errors.forException(Errors.maybeUnwrapException(error));
        return code == Errors.PRODUCER_FENCED && version < firstVersionWithProducerFenced
                ? Errors.INVALID_PRODUCER_EPOCH : code;
    }
}
