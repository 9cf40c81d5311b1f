package io.runnel.it.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.kafka.common.message.InitProducerIdRequestData;
import org.apache.kafka.common.message.InitProducerIdResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;

/**
 * InitProducerId of an idempotent producer (a new producer id at epoch 0 each time) and of a transactional one: the
 * same producer id with the next epoch each time, a timeout above transaction.max.timeout.ms refused, and from v3 a
 * producer naming an epoch the id no longer has fenced.
 */
final class InitProducerIdScenario implements ApiScenario {
    @Override
    public ApiKeys api() {
        return ApiKeys.INIT_PRODUCER_ID;
    }

    @Override
    public void run(Exchange x) throws Exception {
        InitProducerIdResponseData first = init(x);
        InitProducerIdResponseData second = init(x);
        assertNotEquals(first.producerId(), second.producerId(), "each idempotent producer gets its own id");

        String transactionalId = "conformance-init-v" + x.version();
        TransactionalProducer initialized = TransactionalProducer.init(x, transactionalId);
        InitProducerIdResponseData bumped = x.send(transactional(x, transactionalId, TransactionalProducer.TIMEOUT_MS));
        assertEquals(Errors.NONE.code(), bumped.errorCode(), "error");
        assertEquals(initialized.producerId(), bumped.producerId(), "the transactional id keeps its producer id");
        assertEquals(initialized.epoch() + 1, bumped.producerEpoch(), "epoch");
        InitProducerIdResponseData tooLong = x.send(transactional(x, transactionalId, 900_001));
        assertEquals(Errors.INVALID_TRANSACTION_TIMEOUT.code(), tooLong.errorCode(), "transaction.max.timeout.ms");
        if (x.atLeast(3)) {
            InitProducerIdResponseData stale = x.send(transactional(x, transactionalId, TransactionalProducer.TIMEOUT_MS)
                    .setProducerId(bumped.producerId()).setProducerEpoch((short) (bumped.producerEpoch() + 5)));
            assertEquals(TransactionalProducer.fenced(x, 4).code(), stale.errorCode(), "an epoch the id never had");
        }
    }

    private static InitProducerIdRequestData transactional(Exchange x, String transactionalId, int timeoutMs) {
        InitProducerIdRequestData request = new InitProducerIdRequestData().setTransactionalId(transactionalId)
                .setTransactionTimeoutMs(timeoutMs);
        if (x.atLeast(3)) {
            request.setProducerId(-1).setProducerEpoch((short) -1);
        }
        return request;
    }

    private static InitProducerIdResponseData init(Exchange x) throws Exception {
        InitProducerIdRequestData request = new InitProducerIdRequestData().setTransactionalId(null)
                .setTransactionTimeoutMs(Integer.MAX_VALUE);
        if (x.atLeast(3)) {
            request.setProducerId(-1).setProducerEpoch((short) -1);
        }
        InitProducerIdResponseData response = x.send(request);
        assertEquals(Errors.NONE.code(), response.errorCode(), "error");
        assertTrue(response.producerId() >= 0, "producer id " + response.producerId());
        assertEquals(0, response.producerEpoch(), "epoch");
        return response;
    }
}
