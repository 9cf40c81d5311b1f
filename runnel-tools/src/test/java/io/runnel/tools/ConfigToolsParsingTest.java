package io.runnel.tools;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Argument errors of configs, get-offsets, delete-records, leader-election and topics --alter, refused before any
 * connection.
 */
class ConfigToolsParsingTest {
    private static final String BOOTSTRAP = "127.0.0.1:1";

    @TempDir
    Path dir;

    private static void assertUsageError(String message, String... args) {
        CliResult result = CliResult.run(args);
        assertEquals(1, result.exitCode(), result.toString());
        assertTrue(result.err().contains(message), result.err());
        assertEquals("", result.out());
    }

    @Test
    void configsChecksItsArguments() {
        assertUsageError("Invalid entity type groups", "configs", "--bootstrap-server", BOOTSTRAP,
                "--entity-type", "groups", "--describe");
        assertUsageError("Only the entity types users and clients may be given together", "configs",
                "--bootstrap-server", BOOTSTRAP, "--entity-type", "topics", "--entity-type", "users", "--describe");
        assertUsageError("An entity name must be specified with --alter of users and clients", "configs",
                "--bootstrap-server", BOOTSTRAP, "--entity-type", "users", "--entity-name", "alice",
                "--entity-type", "clients", "--alter", "--add-config", "producer_byte_rate=1024");
        assertUsageError("SCRAM credentials belong to a named user alone", "configs", "--bootstrap-server", BOOTSTRAP,
                "--entity-type", "clients", "--entity-name", "app", "--alter", "--add-config",
                "SCRAM-SHA-512=[password=secret]");
        assertUsageError("Invalid value fast for producer_byte_rate: a number is expected", "configs",
                "--bootstrap-server", BOOTSTRAP, "--entity-type", "clients", "--entity-default", "--alter",
                "--add-config", "producer_byte_rate=fast");
        assertUsageError("Invalid SCRAM-SHA-512 config: a password is required", "configs", "--bootstrap-server",
                BOOTSTRAP, "--entity-type", "users", "--entity-name", "alice", "--alter", "--add-config",
                "SCRAM-SHA-512=[iterations=8192]");
        assertUsageError("Invalid config fetch_rate for users: a user's configs are client quotas (producer_byte_rate",
                "configs", "--bootstrap-server", BOOTSTRAP, "--entity-type", "users", "--entity-name", "alice",
                "--alter", "--add-config", "fetch_rate=1024");
        assertUsageError("An entity name must be specified with --alter", "configs", "--bootstrap-server", BOOTSTRAP,
                "--entity-type", "topics", "--alter", "--add-config", "retention.ms=1");
        assertUsageError("At least one of --add-config or --delete-config", "configs", "--bootstrap-server", BOOTSTRAP,
                "--entity-type", "topics", "--entity-name", "t", "--alter");
        assertUsageError("must be a valid integer broker id", "configs", "--bootstrap-server", BOOTSTRAP,
                "--entity-type", "brokers", "--entity-name", "one", "--describe");
        assertUsageError("--entity-default does not apply to --entity-type topics", "configs", "--bootstrap-server",
                BOOTSTRAP, "--entity-type", "topics", "--entity-default", "--describe");
        assertUsageError("all configs to be added must be in the format \"key=val\"", "configs", "--bootstrap-server",
                BOOTSTRAP, "--entity-type", "topics", "--entity-name", "t", "--alter", "--add-config", "retention.ms");
    }

    @Test
    void clientQuotasChecksItsArguments() {
        assertUsageError("A name and its default cannot be given together", "client-quotas", "--bootstrap-server",
                BOOTSTRAP, "--describe", "--user", "alice", "--user-default");
        assertUsageError("--alter needs --user, --user-default, --client-id or --client-id-default", "client-quotas",
                "--bootstrap-server", BOOTSTRAP, "--alter", "--add-config", "producer_byte_rate=1");
        assertUsageError("--alter needs --add-config or --delete-config", "client-quotas", "--bootstrap-server",
                BOOTSTRAP, "--alter", "--client-id", "app");
        assertUsageError("Invalid config fetch_rate: the client quotas are producer_byte_rate", "client-quotas",
                "--bootstrap-server", BOOTSTRAP, "--alter", "--client-id", "app", "--add-config", "fetch_rate=1");
    }

    @Test
    void getOffsetsRefusesAMalformedTime() {
        assertUsageError("Malformed time argument yesterday", "get-offsets", "--bootstrap-server", BOOTSTRAP,
                "--time", "yesterday");
    }

    @Test
    void leaderElectionChecksItsArguments() throws Exception {
        assertUsageError("--election-type must be preferred or unclean, not random", "leader-election",
                "--bootstrap-server", BOOTSTRAP, "--election-type", "random", "--all-topic-partitions");
        assertUsageError("mutually exclusive", "leader-election", "--bootstrap-server", BOOTSTRAP,
                "--election-type", "preferred", "--all-topic-partitions", "--topic", "t", "--partition", "0");
        assertUsageError("Missing required argument", "leader-election", "--bootstrap-server", BOOTSTRAP,
                "--election-type", "preferred");
        assertUsageError("--partition", "leader-election", "--bootstrap-server", BOOTSTRAP,
                "--election-type", "preferred", "--topic", "t");
        Path file = dir.resolve("election.json");
        Files.writeString(file, "{\"partitions\": [{\"topic\": \"t\", \"partition\": 0}, {\"topic\": \"t\", \"partition\": 0}]}");
        assertUsageError("Replica election data contains duplicate partitions: t-0", "leader-election",
                "--bootstrap-server", BOOTSTRAP, "--election-type", "preferred", "--path-to-json-file", file.toString());
        Files.writeString(file, "{\"topics\": []}");
        assertUsageError("Replica election data is missing \"partitions\" field", "leader-election",
                "--bootstrap-server", BOOTSTRAP, "--election-type", "preferred", "--path-to-json-file", file.toString());
    }

    @Test
    void deleteRecordsRefusesABadOffsetFile() throws Exception {
        Path file = dir.resolve("offsets.json");
        Files.writeString(file, "{\"partitions\": [");
        assertUsageError("not valid JSON", "delete-records", "--bootstrap-server", BOOTSTRAP,
                "--offset-json-file", file.toString());
        Files.writeString(file, "{\"partitions\": [{\"topic\": \"t\", \"partition\": 0, \"offset\": 1},"
                + " {\"topic\": \"t\", \"partition\": 0, \"offset\": 2}], \"version\": 1}");
        assertUsageError("Offset json file contains duplicate topic partitions: t-0", "delete-records",
                "--bootstrap-server", BOOTSTRAP, "--offset-json-file", file.toString());
        Files.writeString(file, "{\"partitions\": [{\"topic\": \"t\", \"offset\": 2}]}");
        assertUsageError("needs \"topic\", \"partition\" and \"offset\"", "delete-records",
                "--bootstrap-server", BOOTSTRAP, "--offset-json-file", file.toString());
    }

    @Test
    void topicsDeleteConfigNeedsAlter() {
        assertUsageError("--delete-config applies only to --alter", "topics", "--bootstrap-server", BOOTSTRAP,
                "--describe", "--topic", "t", "--delete-config", "retention.ms");
        assertUsageError("--alter needs --partitions, --config or --delete-config", "topics", "--bootstrap-server",
                BOOTSTRAP, "--alter", "--topic", "t");
    }
}
