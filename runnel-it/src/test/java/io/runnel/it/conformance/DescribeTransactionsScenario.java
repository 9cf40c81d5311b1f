package io.runnel.it.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.apache.kafka.common.message.DescribeTransactionsRequestData;
import org.apache.kafka.common.message.DescribeTransactionsResponseData;
import org.apache.kafka.common.message.DescribeTransactionsResponseData.TransactionState;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;

/** DescribeTransactions of an open transaction and of an unknown id (TRANSACTIONAL_ID_NOT_FOUND). */
final class DescribeTransactionsScenario implements ApiScenario {
    private static final String UNKNOWN = "conformance-no-such-transactional-id";

    @Override
    public ApiKeys api() {
        return ApiKeys.DESCRIBE_TRANSACTIONS;
    }

    @Override
    public void run(Exchange x) throws Exception {
        TransactionalProducer producer = TransactionalProducer.init(x, "conformance-describe-v" + x.version());
        producer.add(x, 1);
        DescribeTransactionsResponseData response = x.send(new DescribeTransactionsRequestData()
                .setTransactionalIds(List.of(producer.transactionalId(), UNKNOWN)));
        assertEquals(2, response.transactionStates().size(), "states");
        TransactionState open = response.transactionStates().get(0);
        assertEquals(producer.transactionalId(), open.transactionalId());
        assertEquals(Errors.NONE.code(), open.errorCode(), "error");
        assertEquals("Ongoing", open.transactionState());
        assertEquals(producer.producerId(), open.producerId());
        assertEquals(producer.epoch(), open.producerEpoch());
        assertEquals(TransactionalProducer.TIMEOUT_MS, open.transactionTimeoutMs());
        assertEquals(List.of(1), open.topics().find(Fixture.COORDINATOR_TXN_TOPIC).partitions());
        TransactionState unknown = response.transactionStates().get(1);
        assertEquals(UNKNOWN, unknown.transactionalId());
        assertEquals(Errors.TRANSACTIONAL_ID_NOT_FOUND.code(), unknown.errorCode());
    }
}
