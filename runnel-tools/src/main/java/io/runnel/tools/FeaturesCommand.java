package io.runnel.tools;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.FeatureMetadata;
import org.apache.kafka.clients.admin.FinalizedVersionRange;
import org.apache.kafka.clients.admin.SupportedVersionRange;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.Callable;

/** {@code runnel features}: kafka-features.sh, whose describe prints every feature's supported and finalized levels. */
@Command(name = "features", mixinStandardHelpOptions = true, subcommands = FeaturesCommand.Describe.class,
        description = "Describe the cluster's feature flags (metadata.version, group.version, ...).")
final class FeaturesCommand implements Runnable {
    private static final String METADATA_VERSION = "metadata.version";
    /** metadata.version's names by feature level, from 7 (3.3-IV3, the oldest Kafka 4 knows) on. */
    private static final List<String> METADATA_VERSIONS = List.of(
            "3.3-IV3", "3.4-IV0", "3.5-IV0", "3.5-IV1", "3.5-IV2", "3.6-IV0", "3.6-IV1", "3.6-IV2",
            "3.7-IV0", "3.7-IV1", "3.7-IV2", "3.7-IV3", "3.7-IV4", "3.8-IV0", "3.9-IV0",
            "4.0-IV0", "4.0-IV1", "4.0-IV2", "4.0-IV3", "4.1-IV0", "4.1-IV1", "4.2-IV0", "4.2-IV1", "4.3-IV0",
            "4.4-IV0", "4.4-IV1", "4.4-IV2");
    private static final int FIRST_METADATA_VERSION_LEVEL = 7;

    @Spec
    CommandSpec spec;

    @Mixin
    AdminOptions connection;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "Missing the action: describe");
    }

    @Command(name = "describe", mixinStandardHelpOptions = true,
            description = "Describe every feature: supported levels, finalized level and its epoch.")
    static final class Describe implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @ParentCommand
        FeaturesCommand parent;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            try (Admin admin = Admin.create(parent.connection.adminProperties())) {
                FeatureMetadata features = admin.describeFeatures().featureMetadata().get();
                String epoch = features.finalizedFeaturesEpoch().map(String::valueOf).orElse("-");
                for (String feature : new TreeSet<>(features.supportedFeatures().keySet())) {
                    SupportedVersionRange supported = features.supportedFeatures().get(feature);
                    FinalizedVersionRange finalized = features.finalizedFeatures().get(feature);
                    short level = finalized == null ? 0 : finalized.maxVersionLevel();
                    out.printf("Feature: %s\tSupportedMinVersion: %s\tSupportedMaxVersion: %s\tFinalizedVersionLevel: %s"
                                    + "\tEpoch: %s%n", feature, levelName(feature, supported.minVersion()),
                            levelName(feature, supported.maxVersion()), levelName(feature, level), epoch);
                }
            }
            out.flush();
            return 0;
        }
    }

    /** As kafka-features.sh shows a level: metadata.version by its release name, other features as numbers. */
    static String levelName(String feature, short level) {
        if (!feature.equals(METADATA_VERSION)) {
            return Short.toString(level);
        }
        int index = level - FIRST_METADATA_VERSION_LEVEL;
        return index >= 0 && index < METADATA_VERSIONS.size() ? METADATA_VERSIONS.get(index) : "UNKNOWN " + level;
    }
}
