package io.runnel.it.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.kafka.common.message.InitProducerIdRequestData;
import org.apache.kafka.common.message.InitProducerIdResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;

/** InitProducerId of an idempotent producer: a new producer id at epoch 0 each time. */
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
