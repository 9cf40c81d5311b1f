package io.runnel.metadata.quorum;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.runnel.metadata.record.MetadataRecord;
import io.runnel.metadata.record.MetadataRecordSerde;
import io.runnel.metadata.record.RemoveTopicRecord;
import io.runnel.metadata.record.TopicRecord;
import java.util.List;
import org.apache.kafka.common.Uuid;
import org.apache.ratis.proto.RaftProtos.LogEntryProto;
import org.apache.ratis.proto.RaftProtos.RaftPeerRole;
import org.apache.ratis.proto.RaftProtos.StateMachineLogEntryProto;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.statemachine.TransactionContext;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.junit.jupiter.api.Test;

class MetadataStateMachineTest {
    private final MetadataStateMachine machine = new MetadataStateMachine("cluster");
    private final Uuid topicId = Uuid.randomUuid();

    @Test
    void anEntryCommittedInALaterTermThanItWasDecidedInIsSkippedAndItsWriterTold() throws Exception {
        assertEquals(Message.EMPTY, apply(1, 1, 1, List.of(new TopicRecord("kept", topicId))));

        // A deposed controller's change, resent by its Raft client to the next leader: decided on an old image.
        Message answer = apply(2, 2, 1, List.of(new RemoveTopicRecord(topicId)));

        assertEquals(MetadataStateMachine.STALE_TERM, answer);
        assertTrue(machine.image().topicsByName().containsKey("kept"));
        assertTrue(machine.awaitApplied(2).isDone(), "the skipped entry counts as applied");
        assertEquals(Message.EMPTY, apply(3, 2, 2, List.of(new RemoveTopicRecord(topicId))));
        assertTrue(machine.image().topicsByName().isEmpty());
    }

    private Message apply(long index, long term, long decidedInTerm, List<MetadataRecord> records) throws Exception {
        LogEntryProto entry = LogEntryProto.newBuilder().setIndex(index).setTerm(term)
                .setStateMachineLogEntry(StateMachineLogEntryProto.newBuilder()
                        .setLogData(ByteString.copyFrom(MetadataRecordSerde.encodeEntry(decidedInTerm, records))))
                .build();
        return machine.applyTransaction(TransactionContext.newBuilder().setStateMachine(machine)
                .setServerRole(RaftPeerRole.FOLLOWER).setLogEntry(entry).build()).get();
    }
}
