package io.runnel.metadata.quorum;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.runnel.metadata.record.MetadataRecord;
import io.runnel.metadata.record.MetadataRecordSerde;
import io.runnel.metadata.record.ProducerIdsRecord;
import java.io.ByteArrayInputStream;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class MetadataCommandTest {
    private static final List<MetadataRecord> RECORDS = List.of(new ProducerIdsRecord(1, 5_000));

    @Test
    void anEntryKeepsItsIdAnswerAndRecords() throws Exception {
        MetadataCommand command = new MetadataCommand(UUID.randomUUID(), new byte[] {0, 7}, RECORDS);
        MetadataCommand decoded = MetadataCommand.decode(new ByteArrayInputStream(command.encode()), 12);
        assertEquals(command.id(), decoded.id());
        assertArrayEquals(command.answer(), decoded.answer());
        assertEquals(RECORDS, decoded.records());
    }

    @Test
    void anEntryWrittenBeforeIdsGetsTheSameIdFromItsIndexOnEveryMember() throws Exception {
        byte[] old = MetadataRecordSerde.encodeEntry(RECORDS);
        MetadataCommand here = MetadataCommand.decode(new ByteArrayInputStream(old), 12);
        MetadataCommand there = MetadataCommand.decode(new ByteArrayInputStream(old), 12);
        assertEquals(RECORDS, here.records());
        assertEquals(here.id(), there.id());
        assertEquals(0, here.answer().length);
    }
}
