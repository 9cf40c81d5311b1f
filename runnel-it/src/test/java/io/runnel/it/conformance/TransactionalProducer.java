package io.runnel.it.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.runnel.it.Await;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.common.message.AddPartitionsToTxnRequestData;
import org.apache.kafka.common.message.AddPartitionsToTxnRequestData.AddPartitionsToTxnTopic;
import org.apache.kafka.common.message.AddPartitionsToTxnRequestData.AddPartitionsToTxnTopicCollection;
import org.apache.kafka.common.message.AddPartitionsToTxnResponseData;
import org.apache.kafka.common.message.EndTxnRequestData;
import org.apache.kafka.common.message.EndTxnResponseData;
import org.apache.kafka.common.message.FindCoordinatorRequestData;
import org.apache.kafka.common.message.FindCoordinatorResponseData;
import org.apache.kafka.common.message.InitProducerIdRequestData;
import org.apache.kafka.common.message.InitProducerIdResponseData;
import org.apache.kafka.common.protocol.Errors;

/**
 * A transactional producer as a scenario needs one on the way, speaking fixed versions: it finds its coordinator (the
 * first lookup creates {@code __transaction_state}), initializes and adds partitions of {@link Fixture#COORDINATOR_TXN_TOPIC}.
 */
record TransactionalProducer(String transactionalId, long producerId, short epoch) {
    static final int TIMEOUT_MS = 60_000;
    private static final Duration SETTLE = Duration.ofSeconds(60);

    /** Initializes the id: waits for its coordinator to be found and loaded, then InitProducerId v5. */
    static TransactionalProducer init(Exchange x, String transactionalId) {
        awaitCoordinator(x, transactionalId);
        InitProducerIdResponseData[] response = new InitProducerIdResponseData[1];
        Await.awaitCondition(SETTLE, () -> {
            response[0] = send(x, new InitProducerIdRequestData().setTransactionalId(transactionalId)
                    .setTransactionTimeoutMs(TIMEOUT_MS).setProducerId(-1).setProducerEpoch((short) -1), 5);
            return response[0].errorCode() == Errors.NONE.code();
        }, "InitProducerId of " + transactionalId);
        return new TransactionalProducer(transactionalId, response[0].producerId(), response[0].producerEpoch());
    }

    /** FindCoordinator v3 with key type 1 until it answers. */
    static FindCoordinatorResponseData awaitCoordinator(Exchange x, String transactionalId) {
        FindCoordinatorResponseData[] response = new FindCoordinatorResponseData[1];
        Await.awaitCondition(SETTLE, () -> {
            response[0] = send(x, new FindCoordinatorRequestData().setKeyType((byte) 1).setKey(transactionalId), 3);
            return response[0].errorCode() == Errors.NONE.code();
        }, "the coordinator of " + transactionalId);
        return response[0];
    }

    /** AddPartitionsToTxn v3 of partitions of {@link Fixture#COORDINATOR_TXN_TOPIC}; each must be added. */
    void add(Exchange x, Integer... partitions) {
        add(x, Fixture.COORDINATOR_TXN_TOPIC, partitions);
    }

    /** AddPartitionsToTxn v3 of partitions of {@code topic}; each must be added. */
    void add(Exchange x, String topic, Integer... partitions) {
        AddPartitionsToTxnTopicCollection topics = new AddPartitionsToTxnTopicCollection();
        topics.add(new AddPartitionsToTxnTopic().setName(topic).setPartitions(List.of(partitions)));
        AddPartitionsToTxnResponseData response = send(x, new AddPartitionsToTxnRequestData()
                .setV3AndBelowTransactionalId(transactionalId).setV3AndBelowProducerId(producerId)
                .setV3AndBelowProducerEpoch(epoch).setV3AndBelowTopics(topics), 3);
        response.resultsByTopicV3AndBelow().forEach(t -> t.resultsByPartition().forEach(p ->
                assertEquals(Errors.NONE.code(), p.partitionErrorCode(), "add " + t.name() + "-" + p.partitionIndex())));
    }

    /** EndTxn v3: aborts the transaction. */
    void abort(Exchange x) {
        EndTxnResponseData response = send(x, new EndTxnRequestData().setTransactionalId(transactionalId)
                .setProducerId(producerId).setProducerEpoch(epoch).setCommitted(false), 3);
        assertEquals(Errors.NONE.code(), response.errorCode(), "EndTxn");
    }

    /** PRODUCER_FENCED where the version has it, INVALID_PRODUCER_EPOCH before (KIP-588). */
    static Errors fenced(Exchange x, int firstVersionWithProducerFenced) {
        return x.atLeast(firstVersionWithProducerFenced) ? Errors.PRODUCER_FENCED : Errors.INVALID_PRODUCER_EPOCH;
    }

    @SuppressWarnings("unchecked")
    private static <T> T send(Exchange x, org.apache.kafka.common.protocol.ApiMessage request, int version) {
        try {
            return (T) x.sendAt(request, (short) version);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
