package io.runnel.it.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.message.AddPartitionsToTxnRequestData;
import org.apache.kafka.common.message.AddPartitionsToTxnRequestData.AddPartitionsToTxnTopic;
import org.apache.kafka.common.message.AddPartitionsToTxnRequestData.AddPartitionsToTxnTopicCollection;
import org.apache.kafka.common.message.AddPartitionsToTxnRequestData.AddPartitionsToTxnTransaction;
import org.apache.kafka.common.message.AddPartitionsToTxnRequestData.AddPartitionsToTxnTransactionCollection;
import org.apache.kafka.common.message.AddPartitionsToTxnResponseData;
import org.apache.kafka.common.message.AddPartitionsToTxnResponseData.AddPartitionsToTxnTopicResultCollection;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;

/**
 * AddPartitionsToTxn: v0-v3 a producer adds partitions (a stale epoch is fenced; an unknown topic adds nothing);
 * v4+ a batch of transactions, added or with verify_only checked.
 */
final class AddPartitionsToTxnScenario implements ApiScenario {
    private static final String UNKNOWN_TOPIC = "conformance-no-such-topic";

    @Override
    public ApiKeys api() {
        return ApiKeys.ADD_PARTITIONS_TO_TXN;
    }

    @Override
    public void run(Exchange x) throws Exception {
        TransactionalProducer producer = TransactionalProducer.init(x, "conformance-add-partitions-v" + x.version());
        if (!x.atLeast(4)) {
            assertEquals(Map.of("0", Errors.NONE, "1", Errors.NONE), errors(addV3(x, producer, producer.epoch(),
                    Fixture.COORDINATOR_TXN_TOPIC)));
            Errors fenced = TransactionalProducer.fenced(x, 2);
            assertEquals(Map.of("0", fenced, "1", fenced), errors(addV3(x, producer, (short) (producer.epoch() - 1),
                    Fixture.COORDINATOR_TXN_TOPIC)));
            assertEquals(Map.of("0", Errors.OPERATION_NOT_ATTEMPTED, "1", Errors.OPERATION_NOT_ATTEMPTED,
                    UNKNOWN_TOPIC + "-0", Errors.UNKNOWN_TOPIC_OR_PARTITION),
                    errors(addV3(x, producer, producer.epoch(), Fixture.COORDINATOR_TXN_TOPIC, UNKNOWN_TOPIC)));
            return;
        }
        assertEquals(Map.of("0", Errors.NONE), batch(x, producer, false, 0));
        assertEquals(Map.of("0", Errors.NONE, "1", Errors.INVALID_TXN_STATE), batch(x, producer, true, 0, 1),
                "verify only: p1 is not in the transaction");
    }

    private static AddPartitionsToTxnTopicResultCollection addV3(Exchange x, TransactionalProducer producer, short epoch,
                                                                 String... topicNames) throws Exception {
        AddPartitionsToTxnTopicCollection topics = new AddPartitionsToTxnTopicCollection();
        for (String name : topicNames) {
            topics.add(new AddPartitionsToTxnTopic().setName(name)
                    .setPartitions(name.equals(Fixture.COORDINATOR_TXN_TOPIC) ? List.of(0, 1) : List.of(0)));
        }
        AddPartitionsToTxnResponseData response = x.send(new AddPartitionsToTxnRequestData()
                .setV3AndBelowTransactionalId(producer.transactionalId()).setV3AndBelowProducerId(producer.producerId())
                .setV3AndBelowProducerEpoch(epoch).setV3AndBelowTopics(topics));
        return response.resultsByTopicV3AndBelow();
    }

    private static Map<String, Errors> batch(Exchange x, TransactionalProducer producer, boolean verifyOnly,
                                             Integer... partitions) throws Exception {
        AddPartitionsToTxnTopicCollection topics = new AddPartitionsToTxnTopicCollection();
        topics.add(new AddPartitionsToTxnTopic().setName(Fixture.COORDINATOR_TXN_TOPIC).setPartitions(List.of(partitions)));
        AddPartitionsToTxnTransactionCollection transactions = new AddPartitionsToTxnTransactionCollection();
        transactions.add(new AddPartitionsToTxnTransaction().setTransactionalId(producer.transactionalId())
                .setProducerId(producer.producerId()).setProducerEpoch(producer.epoch()).setVerifyOnly(verifyOnly)
                .setTopics(topics));
        AddPartitionsToTxnResponseData response = x.send(new AddPartitionsToTxnRequestData().setTransactions(transactions));
        assertEquals(Errors.NONE.code(), response.errorCode(), "error");
        assertEquals(1, response.resultsByTransaction().size(), "transactions");
        assertEquals(producer.transactionalId(), response.resultsByTransaction().iterator().next().transactionalId());
        return errors(response.resultsByTransaction().iterator().next().topicResults());
    }

    /** Partition errors, keyed by index for {@link Fixture#COORDINATOR_TXN_TOPIC} and by topic-index otherwise. */
    private static Map<String, Errors> errors(AddPartitionsToTxnTopicResultCollection results) {
        Map<String, Errors> errors = new HashMap<>();
        results.forEach(t -> t.resultsByPartition().forEach(p -> errors.put(
                (t.name().equals(Fixture.COORDINATOR_TXN_TOPIC) ? "" : t.name() + "-") + p.partitionIndex(),
                Errors.forCode(p.partitionErrorCode()))));
        return errors;
    }
}
