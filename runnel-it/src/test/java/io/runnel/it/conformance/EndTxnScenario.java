package io.runnel.it.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import org.apache.kafka.common.message.EndTxnRequestData;
import org.apache.kafka.common.message.EndTxnResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;

/**
 * EndTxn: ending a transaction that is not open is an invalid state; a stale epoch is fenced; an open one is aborted,
 * and asking again answers CONCURRENT_TRANSACTIONS while its markers are written, NONE once they are.
 */
final class EndTxnScenario implements ApiScenario {
    @Override
    public ApiKeys api() {
        return ApiKeys.END_TXN;
    }

    @Override
    public void run(Exchange x) throws Exception {
        TransactionalProducer producer = TransactionalProducer.init(x, "conformance-end-txn-v" + x.version());
        assertEquals(Errors.INVALID_TXN_STATE, end(x, producer, producer.epoch(), true), "nothing to commit");
        producer.add(x, 0);
        assertEquals(TransactionalProducer.fenced(x, 2), end(x, producer, (short) (producer.epoch() + 1), false));
        assertEquals(Errors.NONE, end(x, producer, producer.epoch(), false));
        Errors again = end(x, producer, producer.epoch(), false);
        assertTrue(Set.of(Errors.CONCURRENT_TRANSACTIONS, Errors.NONE).contains(again), "a repeated abort: " + again);
    }

    private static Errors end(Exchange x, TransactionalProducer producer, short epoch, boolean commit) throws Exception {
        EndTxnResponseData response = x.send(new EndTxnRequestData().setTransactionalId(producer.transactionalId())
                .setProducerId(producer.producerId()).setProducerEpoch(epoch).setCommitted(commit));
        return Errors.forCode(response.errorCode());
    }
}
