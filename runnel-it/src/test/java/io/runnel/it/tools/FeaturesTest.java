package io.runnel.it.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.runnel.it.RunnelCluster;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.FeatureMetadata;
import org.apache.kafka.clients.admin.FinalizedVersionRange;
import org.apache.kafka.clients.admin.SupportedVersionRange;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cluster's features as Kafka 4.4 reports its own, seen through Admin.describeFeatures() and through
 * {@code runnel features describe} (kafka-features.sh's output).
 */
class FeaturesTest {
    private static RunnelCluster cluster;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() throws Exception {
        cluster = RunnelCluster.builder().start();
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void adminDescribesSupportedAndFinalizedFeatures() throws Exception {
        try (Admin admin = cluster.admin()) {
            FeatureMetadata features = admin.describeFeatures().featureMetadata().get();
            Map<String, String> supported = new TreeMap<>();
            features.supportedFeatures().forEach((name, range) -> supported.put(name, range(range)));
            assertEquals(Map.of(
                    "metadata.version", "33..33",
                    "eligible.leader.replicas.version", "0..1",
                    "kraft.version", "0..1",
                    "group.version", "0..1",
                    "transaction.version", "0..2"), supported, "supported features");
            Map<String, String> finalized = new TreeMap<>();
            features.finalizedFeatures().forEach((name, range) -> finalized.put(name, range(range)));
            assertEquals(Map.of("metadata.version", "33..33", "kraft.version", "1..1", "group.version", "1..1",
                            "eligible.leader.replicas.version", "1..1", "transaction.version", "2..2"),
                    finalized,
                    "finalized features (level 0 is not finalized)");
            assertTrue(features.finalizedFeaturesEpoch().isPresent() && features.finalizedFeaturesEpoch().get() >= 0,
                    "finalized features epoch: " + features.finalizedFeaturesEpoch());
        }
    }

    @Test
    void describePrintsWhatKafkaFeaturesPrints() throws Exception {
        RunnelCli.Result result = new RunnelCli(dir).run("", "features", "--bootstrap-server",
                cluster.bootstrapServers(), "describe");
        assertEquals(0, result.exitCode(), result.err());
        List<String> lines = result.out().lines().toList();
        List<String> expected = List.of(
                "Feature: eligible.leader.replicas.version\tSupportedMinVersion: 0\tSupportedMaxVersion: 1\t"
                        + "FinalizedVersionLevel: 1\tEpoch: ",
                "Feature: group.version\tSupportedMinVersion: 0\tSupportedMaxVersion: 1\tFinalizedVersionLevel: 1\tEpoch: ",
                "Feature: kraft.version\tSupportedMinVersion: 0\tSupportedMaxVersion: 1\tFinalizedVersionLevel: 1\tEpoch: ",
                "Feature: metadata.version\tSupportedMinVersion: 4.4-IV2\tSupportedMaxVersion: 4.4-IV2\t"
                        + "FinalizedVersionLevel: 4.4-IV2\tEpoch: ",
                "Feature: transaction.version\tSupportedMinVersion: 0\tSupportedMaxVersion: 2\tFinalizedVersionLevel: 2\tEpoch: ");
        assertEquals(expected.size(), lines.size(), "one line per feature:\n" + result.out());
        for (int i = 0; i < expected.size(); i++) {
            String line = lines.get(i);
            assertTrue(line.startsWith(expected.get(i)) && line.substring(expected.get(i).length()).matches("\\d+"),
                    "line " + i + ": " + line);
        }
    }

    private static String range(SupportedVersionRange range) {
        return range.minVersion() + ".." + range.maxVersion();
    }

    private static String range(FinalizedVersionRange range) {
        return range.minVersionLevel() + ".." + range.maxVersionLevel();
    }
}
