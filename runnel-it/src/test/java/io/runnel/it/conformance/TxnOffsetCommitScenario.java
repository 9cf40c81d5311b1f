package io.runnel.it.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.runnel.it.Await;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.AddOffsetsToTxnRequestData;
import org.apache.kafka.common.message.AddOffsetsToTxnResponseData;
import org.apache.kafka.common.message.EndTxnRequestData;
import org.apache.kafka.common.message.EndTxnResponseData;
import org.apache.kafka.common.message.OffsetFetchRequestData;
import org.apache.kafka.common.message.OffsetFetchResponseData;
import org.apache.kafka.common.message.OffsetFetchResponseData.OffsetFetchResponsePartition;
import org.apache.kafka.common.message.TxnOffsetCommitRequestData;
import org.apache.kafka.common.message.TxnOffsetCommitRequestData.TxnOffsetCommitRequestPartition;
import org.apache.kafka.common.message.TxnOffsetCommitRequestData.TxnOffsetCommitRequestTopic;
import org.apache.kafka.common.message.TxnOffsetCommitResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;

/**
 * TxnOffsetCommit: offsets committed in a transaction are pending (OffsetFetch with require_stable answers
 * UNSTABLE_OFFSET_COMMIT, without it the group has none) until EndTxn's commit marker applies them; an unknown topic is
 * UNKNOWN_TOPIC_OR_PARTITION (UNKNOWN_TOPIC_ID by id, v6+); from v3 a generation of an unknown group is
 * ILLEGAL_GENERATION (GROUP_ID_NOT_FOUND from v6).
 */
final class TxnOffsetCommitScenario implements ApiScenario {
    private static final long OFFSET = 5;
    private static final Duration SETTLE = Duration.ofSeconds(60);

    @Override
    public ApiKeys api() {
        return ApiKeys.TXN_OFFSET_COMMIT;
    }

    @Override
    public void run(Exchange x) throws Exception {
        TransactionalProducer producer = TransactionalProducer.init(x, "conformance-txn-offsets-v" + x.version());
        String group = "conformance-txn-offsets-group-v" + x.version();
        addOffsets(x, producer, group);

        assertEquals(Errors.NONE, commit(x, producer, group, -1, true), "offsets in the transaction");
        assertEquals(x.atLeast(6) ? Errors.UNKNOWN_TOPIC_ID : Errors.UNKNOWN_TOPIC_OR_PARTITION,
                commit(x, producer, group, -1, false), "an unknown topic");
        if (x.atLeast(3)) {
            // in the transaction first, so that the group's generation is what is checked (KIP-890's check of the
            // offsets partition comes before it)
            addOffsets(x, producer, group + "-unknown");
            assertEquals(x.atLeast(6) ? Errors.GROUP_ID_NOT_FOUND : Errors.ILLEGAL_GENERATION,
                    commit(x, producer, group + "-unknown", 3, true), "a generation of an unknown group");
        }
        OffsetFetchResponsePartition pending = fetch(x, group, true);
        assertEquals(Errors.UNSTABLE_OFFSET_COMMIT.code(), pending.errorCode(), "require_stable while pending");
        assertEquals(-1, fetch(x, group, false).committedOffset(), "not committed before the transaction is");

        EndTxnResponseData ended = x.sendAt(new EndTxnRequestData().setTransactionalId(producer.transactionalId())
                .setProducerId(producer.producerId()).setProducerEpoch(producer.epoch()).setCommitted(true), (short) 3);
        assertEquals(Errors.NONE.code(), ended.errorCode(), "EndTxn");
        Await.awaitCondition(SETTLE, () -> {
            OffsetFetchResponsePartition stable = fetch(x, group, true);
            return stable.errorCode() == Errors.NONE.code() && stable.committedOffset() == OFFSET;
        }, "the transaction's offset once its marker is written");
    }

    private static void addOffsets(Exchange x, TransactionalProducer producer, String group) throws IOException {
        AddOffsetsToTxnResponseData added = x.sendAt(new AddOffsetsToTxnRequestData()
                .setTransactionalId(producer.transactionalId()).setProducerId(producer.producerId())
                .setProducerEpoch(producer.epoch()).setGroupId(group), (short) 3);
        assertEquals(Errors.NONE.code(), added.errorCode(), "AddOffsetsToTxn of " + group);
    }

    /** One partition of {@link Fixture#TOPIC} (or of an unknown topic) at {@link #OFFSET}; its error. */
    private static Errors commit(Exchange x, TransactionalProducer producer, String group, int generation,
                                 boolean knownTopic) throws Exception {
        TxnOffsetCommitRequestTopic topic = new TxnOffsetCommitRequestTopic().setPartitions(List.of(
                new TxnOffsetCommitRequestPartition().setPartitionIndex(0).setCommittedOffset(OFFSET)
                        .setCommittedMetadata("txn")));
        if (x.atLeast(6)) {
            topic.setTopicId(knownTopic ? x.fixture().topicId() : Uuid.randomUuid());
        } else {
            topic.setName(knownTopic ? Fixture.TOPIC : "conformance-no-such-topic");
        }
        TxnOffsetCommitResponseData response = x.send(new TxnOffsetCommitRequestData()
                .setTransactionalId(producer.transactionalId()).setGroupId(group)
                .setProducerId(producer.producerId()).setProducerEpoch(producer.epoch())
                .setGenerationIdOrMemberEpoch(generation).setTopics(List.of(topic)));
        return Errors.forCode(response.topics().get(0).partitions().get(0).errorCode());
    }

    /** OffsetFetch v7 of partition 0 of {@link Fixture#TOPIC} for the group. */
    private static OffsetFetchResponsePartition fetch(Exchange x, String group, boolean requireStable) {
        try {
            OffsetFetchResponseData response = x.sendAt(new OffsetFetchRequestData().setGroupId(group)
                    .setRequireStable(requireStable).setTopics(List.of(new OffsetFetchRequestData.OffsetFetchRequestTopic()
                            .setName(Fixture.TOPIC).setPartitionIndexes(List.of(0)))), (short) 7);
            return response.topics().get(0).partitions().get(0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
