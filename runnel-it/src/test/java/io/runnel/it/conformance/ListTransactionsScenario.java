package io.runnel.it.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.apache.kafka.common.message.ListTransactionsRequestData;
import org.apache.kafka.common.message.ListTransactionsResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;

/**
 * ListTransactions filtered by state and producer id (unknown state names come back), by running time from v1
 * (KIP-994) and by transactional id pattern from v2 (KIP-1152).
 */
final class ListTransactionsScenario implements ApiScenario {
    @Override
    public ApiKeys api() {
        return ApiKeys.LIST_TRANSACTIONS;
    }

    @Override
    public void run(Exchange x) throws Exception {
        TransactionalProducer producer = TransactionalProducer.init(x, "conformance-list-v" + x.version());
        producer.add(x, 0);
        ListTransactionsResponseData listed = list(x, new ListTransactionsRequestData()
                .setStateFilters(List.of("Ongoing", "NoSuchState")).setProducerIdFilters(List.of(producer.producerId())));
        assertEquals(List.of("NoSuchState"), listed.unknownStateFilters());
        assertEquals(List.of(new ListTransactionsResponseData.TransactionState()
                .setTransactionalId(producer.transactionalId()).setProducerId(producer.producerId())
                .setTransactionState("Ongoing")), listed.transactionStates());
        assertEquals(List.of(), list(x, new ListTransactionsRequestData().setStateFilters(List.of("CompleteCommit"))
                .setProducerIdFilters(List.of(producer.producerId()))).transactionStates());
        if (x.atLeast(1)) {
            assertEquals(List.of(), list(x, new ListTransactionsRequestData()
                    .setProducerIdFilters(List.of(producer.producerId())).setDurationFilter(3_600_000))
                    .transactionStates(), "not running for an hour");
        }
        if (x.atLeast(2)) {
            assertEquals(1, list(x, new ListTransactionsRequestData()
                    .setTransactionalIdPattern("conformance-list-v2")).transactionStates().size(), "the pattern");
        }
    }

    private static ListTransactionsResponseData list(Exchange x, ListTransactionsRequestData request) throws Exception {
        ListTransactionsResponseData response = x.send(request);
        assertEquals(Errors.NONE.code(), response.errorCode(), "error");
        return response;
    }
}
