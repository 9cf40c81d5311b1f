package io.runnel.metadata.quorum;

import io.runnel.metadata.record.MetadataRecord;
import io.runnel.metadata.record.MetadataRecordSerde;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.UUID;

/**
 * One metadata log entry as written: the id of the write (the forwarded request's id, or one of its own), the
 * answer the request was given (empty for a write that answers nobody), then the records. The id lets every
 * member recognise the same write committed twice, and a retried request find its answer.
 */
record MetadataCommand(UUID id, byte[] answer, List<MetadataRecord> records) {
    byte[] encode() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + answer.length);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeLong(id.getMostSignificantBits());
            out.writeLong(id.getLeastSignificantBits());
            out.writeInt(answer.length);
            out.write(answer);
            out.write(MetadataRecordSerde.encodeEntry(records));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    static MetadataCommand decode(InputStream entry) throws IOException {
        DataInputStream in = new DataInputStream(entry);
        UUID id = new UUID(in.readLong(), in.readLong());
        int length = in.readInt();
        if (length < 0) {
            throw new IOException("Negative answer length " + length);
        }
        byte[] answer = in.readNBytes(length);
        if (answer.length != length) {
            throw new IOException("Truncated answer: " + answer.length + " of " + length + " bytes");
        }
        return new MetadataCommand(id, answer, MetadataRecordSerde.decodeEntry(in));
    }
}
