package io.runnel.metadata;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.runnel.metadata.record.MetadataRecord;
import io.runnel.metadata.record.ScramCredentialRecord;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** SCRAM credentials replayed into the image, deleted, and carried by a snapshot's records. */
class ScramCredentialsImageTest {
    private static final String ALICE_256 = "salt=YQ==,stored_key=Yg==,server_key=Yw==,iterations=4096";
    private static final String ALICE_512 = "salt=ZA==,stored_key=ZQ==,server_key=Zg==,iterations=8192";

    @Test
    void setDeleteAndRebuildFromASnapshot() {
        MetadataImage image = replay(MetadataImage.empty("c"), List.of(
                new ScramCredentialRecord("alice", "SCRAM-SHA-256", ALICE_256),
                new ScramCredentialRecord("alice", "SCRAM-SHA-512", ALICE_512),
                new ScramCredentialRecord("bob", "SCRAM-SHA-256", ALICE_256)));
        assertEquals(Map.of("SCRAM-SHA-256", ALICE_256, "SCRAM-SHA-512", ALICE_512), image.scramCredentials("alice"));
        assertEquals(Set.of("alice", "bob"), image.scramUsers());

        MetadataImage deleted = replay(image, List.of(new ScramCredentialRecord("alice", "SCRAM-SHA-512", null),
                new ScramCredentialRecord("bob", "SCRAM-SHA-256", null)));
        assertEquals(Map.of("SCRAM-SHA-256", ALICE_256), deleted.scramCredentials("alice"));
        assertEquals(Map.of(), deleted.scramCredentials("bob"));
        assertEquals(Set.of("alice"), deleted.scramUsers());
        assertEquals(Map.of("SCRAM-SHA-256", ALICE_256), image.scramCredentials("bob"), "the earlier image is unchanged");

        MetadataImage rebuilt = replay(MetadataImage.empty("c"), deleted.toRecords());
        assertEquals(deleted.scramCredentials("alice"), rebuilt.scramCredentials("alice"));
        assertEquals(deleted.scramUsers(), rebuilt.scramUsers());
    }

    private static MetadataImage replay(MetadataImage base, List<MetadataRecord> records) {
        MetadataDelta delta = new MetadataDelta(base);
        records.forEach(delta::replay);
        return delta.apply(base.lastAppliedOffset() + 1);
    }
}
