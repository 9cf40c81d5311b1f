package io.runnel.metadata.quorum;

import io.runnel.metadata.record.MetadataRecord;
import io.runnel.metadata.record.MetadataRecordSerde;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * One metadata log entry as written: a marker, the id of the write (the forwarded request's id, or one of its
 * own), the answer the request was given (empty for a write that answers nobody), then the records. The id lets
 * every member recognise the same write committed twice, and a retried request find its answer. An entry written
 * before entries had ids starts with its record count, never negative, instead of the marker.
 */
record MetadataCommand(UUID id, byte[] answer, List<MetadataRecord> records) {
    private static final int MARKER = -1;

    byte[] encode() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + answer.length);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(MARKER);
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

    /** The entry at log index {@code index}; one without an id gets one derived from its index, alike on every member. */
    static MetadataCommand decode(InputStream entry, long index) throws IOException {
        DataInputStream in = new DataInputStream(entry);
        int first = in.readInt();
        if (first != MARKER) {
            if (first < 0) {
                throw new IOException("Negative record count " + first);
            }
            List<MetadataRecord> records = new ArrayList<>(Math.min(first, 1024));
            for (int i = 0; i < first; i++) {
                records.add(MetadataRecordSerde.read(in));
            }
            return new MetadataCommand(UUID.nameUUIDFromBytes(("entry-" + index).getBytes(StandardCharsets.UTF_8)),
                    new byte[0], records);
        }
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
