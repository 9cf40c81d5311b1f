package io.runnel.tools;

import java.io.PrintWriter;
import java.io.StringWriter;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CommandLineParsingTest {

    private static void assertUsageError(CliResult result, String message) {
        assertEquals(1, result.exitCode(), result.toString());
        assertTrue(result.err().contains(message), result.err());
        assertEquals("", result.out());
    }

    @ParameterizedTest
    @ValueSource(strings = {"server", "storage", "topics", "console-producer", "console-consumer"})
    void everyToolHasHelp(String tool) {
        CliResult result = CliResult.run(tool, "--help");
        assertEquals(0, result.exitCode());
        assertTrue(result.out().startsWith("Usage: runnel " + tool), result.out());
    }

    @Test
    void theServerStartedAloneHasTheHelpOfTheServerAmongTheTools() {
        StringWriter alone = new StringWriter();
        assertEquals(0, Runnel.serverCommandLine().setOut(new PrintWriter(alone, true)).execute("--help"));
        assertEquals(CliResult.run("server", "--help").out(), alone.toString());
    }

    @Test
    void theToolsAreListed() {
        CliResult result = CliResult.run("--help");
        assertEquals(0, result.exitCode());
        for (String tool : new String[] {"server", "storage", "topics", "console-producer", "console-consumer"}) {
            assertTrue(result.out().contains(tool), result.out());
        }
    }

    @Test
    void aToolIsRequired() {
        assertUsageError(CliResult.run(), "Missing the tool to run: one of [server, storage, topics");
        assertUsageError(CliResult.run("storage"), "Missing the storage command: one of [random-uuid, format, info");
    }

    @Test
    void anUnknownToolIsAnError() {
        assertUsageError(CliResult.run("no-such-tool"), "Unmatched argument");
    }

    @Test
    void topicsNeedsExactlyOneAction() {
        assertUsageError(CliResult.run("topics", "--bootstrap-server", "localhost:9092", "--topic", "t"),
                "--create | --list | --describe | --alter | --delete");
        assertUsageError(CliResult.run("topics", "--bootstrap-server", "localhost:9092", "--list", "--delete"),
                "mutually exclusive");
    }

    @Test
    void topicsNeedsABootstrapServer() {
        assertUsageError(CliResult.run("topics", "--list"), "--bootstrap-server");
    }

    @Test
    void topicsCreateNeedsATopic() {
        assertUsageError(CliResult.run("topics", "--bootstrap-server", "localhost:9092", "--create", "--partitions", "3"),
                "Missing required argument \"[topic]\"");
    }

    @Test
    void topicsAlterNeedsPartitions() {
        assertUsageError(CliResult.run("topics", "--bootstrap-server", "localhost:9092", "--alter", "--topic", "t"),
                "--partitions");
    }

    @Test
    void replicaAssignmentExcludesPartitionsAndReplicationFactor() {
        assertUsageError(CliResult.run("topics", "--bootstrap-server", "localhost:9092", "--create", "--topic", "t",
                "--partitions", "2", "--replica-assignment", "0:1,1:2"), "replica-assignment");
    }

    @Test
    void createOnlyOptionsAreRejectedElsewhere() {
        assertUsageError(CliResult.run("topics", "--bootstrap-server", "localhost:9092", "--delete", "--topic", "t",
                "--replication-factor", "3"), "apply only to --create");
    }

    @Test
    void aBadConfigPairIsRejected() {
        assertUsageError(CliResult.run("topics", "--bootstrap-server", "127.0.0.1:1", "--create", "--topic", "t",
                "--config", "novalue"), "Invalid --config 'novalue'");
    }

    @Test
    void consoleProducerNeedsATopic() {
        assertUsageError(CliResult.run("console-producer", "--bootstrap-server", "localhost:9092"), "--topic");
    }

    @Test
    void consoleConsumerNeedsABootstrapServer() {
        assertUsageError(CliResult.run("console-consumer", "--topic", "t"), "--bootstrap-server");
    }

    @Test
    void consumerOffsetNeedsAPartition() {
        assertUsageError(CliResult.run("console-consumer", "--bootstrap-server", "localhost:9092", "--topic", "t",
                "--offset", "5"), "The partition is required when offset is specified.");
    }

    @Test
    void consumerOffsetAndFromBeginningConflict() {
        assertUsageError(CliResult.run("console-consumer", "--bootstrap-server", "localhost:9092", "--topic", "t",
                "--partition", "0", "--offset", "5", "--from-beginning"), "--from-beginning and --offset");
    }

    @Test
    void consumerOffsetMustBeAKeywordOrANumber() {
        assertUsageError(CliResult.run("console-consumer", "--bootstrap-server", "localhost:9092", "--topic", "t",
                "--partition", "0", "--offset", "soon"), "'soon' is incorrect");
    }

    @Test
    void consumerGroupExcludesPartition() {
        assertUsageError(CliResult.run("console-consumer", "--bootstrap-server", "localhost:9092", "--topic", "t",
                "--partition", "0", "--group", "g"), "--group and --partition");
    }

    @Test
    void consumerCountsMustBeNumbers() {
        assertUsageError(CliResult.run("console-consumer", "--bootstrap-server", "localhost:9092", "--topic", "t",
                "--max-messages", "many"), "--max-messages");
    }
}
