package io.runnel.broker.protocol;

import org.apache.kafka.common.message.ApiVersionsResponseData.FinalizedFeatureKey;
import org.apache.kafka.common.message.ApiVersionsResponseData.FinalizedFeatureKeyCollection;
import org.apache.kafka.common.message.ApiVersionsResponseData.SupportedFeatureKey;
import org.apache.kafka.common.message.ApiVersionsResponseData.SupportedFeatureKeyCollection;

import java.util.List;

/**
 * The cluster features (KIP-584) as ApiVersions v3+ reports them: for each, the levels this broker can run at and the
 * level the cluster runs at. Runnel runs at fixed levels: the metadata semantics of Kafka 4.4 (metadata.version
 * 4.4-IV2, feature level 33), a dynamic controller quorum (kraft.version 1: KIP-853 AddRaftVoter and RemoveRaftVoter),
 * both group protocols (group.version 1: KIP-848), eligible leader replicas (eligible.leader.replicas.version 1:
 * KIP-966, a replica that leaves an ISR below min.insync.replicas may still lead), and transaction protocol v2
 * (transaction.version 2: KIP-890, partition leaders add partitions to transactions and every transaction's end bumps
 * the producer epoch; clients that do not know it keep the original protocol).
 */
final class FeatureLevels {
    /** A feature: the range of levels supported and the finalized level (0 = not enabled). */
    private record Feature(String name, short minSupported, short maxSupported, short finalized) {
        Feature(String name, int minSupported, int maxSupported, int finalized) {
            this(name, (short) minSupported, (short) maxSupported, (short) finalized);
        }
    }

    private static final List<Feature> FEATURES = List.of(
            new Feature("eligible.leader.replicas.version", 0, 1, 1),
            new Feature("group.version", 0, 1, 1),
            new Feature("kraft.version", 0, 1, 1),
            new Feature("metadata.version", 33, 33, 33),
            new Feature("transaction.version", 0, 2, 2));

    /** ApiVersions v4 fixed KAFKA-17011: before it, a feature whose supported minimum is 0 is left out, as Kafka does. */
    private static final short FIRST_VERSION_WITH_MIN_LEVEL_ZERO = 4;

    private FeatureLevels() {
    }

    static SupportedFeatureKeyCollection supported(short apiVersionsVersion) {
        SupportedFeatureKeyCollection supported = new SupportedFeatureKeyCollection();
        for (Feature f : FEATURES) {
            if (f.minSupported() > 0 || apiVersionsVersion >= FIRST_VERSION_WITH_MIN_LEVEL_ZERO) {
                supported.add(new SupportedFeatureKey().setName(f.name())
                        .setMinVersion(f.minSupported()).setMaxVersion(f.maxSupported()));
            }
        }
        return supported;
    }

    /** The finalized levels; a feature at level 0 is not finalized and is left out, as Kafka does. */
    static FinalizedFeatureKeyCollection finalized() {
        FinalizedFeatureKeyCollection finalized = new FinalizedFeatureKeyCollection();
        for (Feature f : FEATURES) {
            if (f.finalized() > 0) {
                finalized.add(new FinalizedFeatureKey().setName(f.name())
                        .setMinVersionLevel(f.finalized()).setMaxVersionLevel(f.finalized()));
            }
        }
        return finalized;
    }
}
