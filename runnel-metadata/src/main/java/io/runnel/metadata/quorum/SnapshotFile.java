package io.runnel.metadata.quorum;

import io.runnel.metadata.MetadataDelta;
import io.runnel.metadata.MetadataImage;
import io.runnel.metadata.record.MetadataRecord;
import io.runnel.metadata.record.MetadataRecordSerde;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;

/** A whole image on disk: magic, version, the image's offset, then the records that rebuild it. */
final class SnapshotFile {
    private static final int MAGIC = 0x524e4d53; // "RNMS"
    private static final byte VERSION = 0;

    private SnapshotFile() {
    }

    /** Writes atomically: a reader never sees a partial snapshot under {@code target}. */
    static void write(Path target, MetadataImage image) throws IOException {
        Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
        List<MetadataRecord> records = image.toRecords();
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(tmp)))) {
            out.writeInt(MAGIC);
            out.writeByte(VERSION);
            out.writeLong(image.lastAppliedOffset());
            out.writeInt(records.size());
            for (MetadataRecord record : records) {
                MetadataRecordSerde.write(out, record);
            }
        }
        try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
            channel.force(true);
        }
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    static MetadataImage read(Path file, String clusterId) throws IOException {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
            if (in.readInt() != MAGIC) {
                throw new IOException("Not a metadata snapshot: " + file);
            }
            byte version = in.readByte();
            if (version != VERSION) {
                throw new IOException("Unsupported metadata snapshot version " + version + " in " + file);
            }
            long offset = in.readLong();
            int count = in.readInt();
            MetadataDelta delta = new MetadataDelta(MetadataImage.empty(clusterId));
            for (int i = 0; i < count; i++) {
                delta.replay(MetadataRecordSerde.read(in));
            }
            return delta.apply(offset);
        }
    }
}
