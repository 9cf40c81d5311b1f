package io.runnel.it.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.runnel.it.Await;
import io.runnel.it.wire.WireRecords;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.common.message.InitProducerIdRequestData;
import org.apache.kafka.common.message.InitProducerIdResponseData;
import org.apache.kafka.common.message.ListOffsetsRequestData;
import org.apache.kafka.common.message.ListOffsetsResponseData;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.message.ProduceResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;

/**
 * Produce (acks=all) of one batch: its base offset is the log end offset before it, the topic named as the version
 * does; then an idempotent producer's batch, sent twice: the retry is answered with the first append's offset and
 * not written again; then a transactional producer's batch (v3+).
 */
final class ProduceScenario implements ApiScenario {
    /** Produce v3 introduced transactional ids. */
    private static final int FIRST_VERSION_WITH_TRANSACTIONS = 3;

    @Override
    public ApiKeys api() {
        return ApiKeys.PRODUCE;
    }

    @Override
    public void run(Exchange x) throws Exception {
        long logEnd = logEndOffset(x);
        ProduceResponseData.PartitionProduceResponse plain = produce(x,
                WireRecords.produceData(0, x.fixture().timestamp(0), List.of("a", "b")));
        assertEquals(logEnd, plain.baseOffset(), "base offset: the log end offset before the append");
        assertEquals(-1, plain.logAppendTimeMs(), "log append time of a CreateTime topic");
        assertEquals(x.atLeast(5) ? 0 : -1, plain.logStartOffset(), "log start offset (v5+)");
        assertEquals(logEnd + 2, logEndOffset(x), "log end offset after the append");

        short initVersion = ApiKeys.INIT_PRODUCER_ID.latestVersion(false);
        InitProducerIdResponseData producer = x.sendAt(new InitProducerIdRequestData().setTransactionalId(null)
                .setTransactionTimeoutMs(Integer.MAX_VALUE).setProducerId(-1).setProducerEpoch((short) -1), initVersion);
        ProduceRequestData.PartitionProduceData idempotent = WireRecords.idempotentProduceData(0,
                x.fixture().timestamp(0), List.of("c", "d", "e"), producer.producerId(), producer.producerEpoch(), 0);
        ProduceResponseData.PartitionProduceResponse first = produce(x, idempotent);
        assertEquals(logEnd + 2, first.baseOffset(), "base offset of the idempotent batch");
        ProduceResponseData.PartitionProduceResponse retry = produce(x, idempotent);
        assertEquals(first.baseOffset(), retry.baseOffset(), "a retried batch is answered with its first offset");
        assertEquals(logEnd + 5, logEndOffset(x), "log end offset after the retry: written once");

        if (x.atLeast(FIRST_VERSION_WITH_TRANSACTIONS)) {
            transactionalBatch(x);
        }
    }

    /**
     * KIP-890: before a transaction's first batch on a partition the leader asks the coordinator whether the
     * transaction has the partition (INVALID_TXN_STATE if not); from v12 (transaction protocol v2) it adds it.
     */
    private static void transactionalBatch(Exchange x) throws Exception {
        TransactionalProducer txn = TransactionalProducer.init(x, "conformance-produce-v" + x.version());
        ProduceRequestData.PartitionProduceData batch = WireRecords.transactionalProduceData(0,
                x.fixture().timestamp(0), List.of("t"), txn.producerId(), txn.epoch(), 0);
        if (!x.atLeast(12)) {
            assertEquals(Errors.INVALID_TXN_STATE.code(), answer(x, batch, txn.transactionalId()).errorCode(),
                    "a partition its transaction does not have");
            txn.add(x, Fixture.PRODUCE_TOPIC, 0);
        }
        ProduceResponseData.PartitionProduceResponse added = answer(x, batch, txn.transactionalId());
        assertEquals(Errors.NONE.code(), added.errorCode(), "partition error: " + added.errorMessage());
        txn.abort(x);
        // the abort marker follows EndTxn's answer: the next version's run must find the log end where it will stay
        Await.awaitCondition(Duration.ofSeconds(60), () -> {
            try {
                return latestOffset(x, (byte) 1) == logEndOffset(x);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, "the abort marker is written");
    }

    /** Produces the partition data to the produce topic; the partition's answer, checked for no error. */
    private static ProduceResponseData.PartitionProduceResponse produce(Exchange x,
                                                                        ProduceRequestData.PartitionProduceData data)
            throws Exception {
        ProduceResponseData.PartitionProduceResponse partition = answer(x, data, null);
        assertEquals(Errors.NONE.code(), partition.errorCode(), "partition error: " + partition.errorMessage());
        return partition;
    }

    /** Produces the partition data to the produce topic, of a transactional id or none; the partition's answer. */
    private static ProduceResponseData.PartitionProduceResponse answer(Exchange x,
                                                                       ProduceRequestData.PartitionProduceData data,
                                                                       String transactionalId) throws Exception {
        ProduceRequestData.TopicProduceData topic = new ProduceRequestData.TopicProduceData()
                .setPartitionData(List.of(data));
        if (x.atLeast(13)) {
            topic.setTopicId(x.fixture().produceTopicId());
        } else {
            topic.setName(Fixture.PRODUCE_TOPIC);
        }
        ProduceRequestData.TopicProduceDataCollection topics = new ProduceRequestData.TopicProduceDataCollection();
        topics.add(topic);
        ProduceResponseData response = x.send(new ProduceRequestData().setAcks((short) -1).setTimeoutMs(30_000)
                .setTransactionalId(transactionalId).setTopicData(topics));
        assertEquals(1, response.responses().size(), "topics");
        ProduceResponseData.TopicProduceResponse answered = response.responses().iterator().next();
        if (x.atLeast(13)) {
            assertEquals(x.fixture().produceTopicId(), answered.topicId(), "topic id");
        } else {
            assertEquals(Fixture.PRODUCE_TOPIC, answered.name(), "topic name");
        }
        return answered.partitionResponses().get(0);
    }

    private static long logEndOffset(Exchange x) throws Exception {
        return latestOffset(x, (byte) 0);
    }

    /** ListOffsets' latest offset at an isolation level (1: read_committed, the last stable offset). */
    private static long latestOffset(Exchange x, byte isolationLevel) throws Exception {
        ListOffsetsRequestData request = new ListOffsetsRequestData().setReplicaId(-1)
                .setIsolationLevel(isolationLevel).setTopics(List.of(
                new ListOffsetsRequestData.ListOffsetsTopic().setName(Fixture.PRODUCE_TOPIC).setPartitions(List.of(
                        new ListOffsetsRequestData.ListOffsetsPartition().setPartitionIndex(0).setTimestamp(-1)))));
        ListOffsetsResponseData response = x.sendAt(request, ApiKeys.LIST_OFFSETS.latestVersion(false));
        return response.topics().get(0).partitions().get(0).offset();
    }
}
