package io.runnel.tools;

import org.junit.jupiter.api.Test;

/** The argument checks of {@code runnel acls}, kafka-acls.sh's, refused before any connection. */
class AclsParsingTest {
    private static void assertUsageError(String message, String... args) {
        CliResult.assertRefusedBeforeConnecting("acls", message, args);
    }

    @Test
    void exactlyOneActionAndItsOptions() {
        assertUsageError("Command must include exactly one action: --list, --add, --remove.", "--topic", "t");
        assertUsageError("Command must include exactly one action", "--add", "--list", "--topic", "t");
        assertUsageError("can't be used with option", "--list", "--allow-principal", "User:a");
        assertUsageError("You must provide at least one resource", "--add", "--allow-principal", "User:a");
        assertUsageError("You must specify one of: --allow-principal, --deny-principal when trying to add ACLs.",
                "--add", "--topic", "t");
        assertUsageError("A '--resource-pattern-type' value of 'MATCH' is not valid when adding acls.", "--add",
                "--allow-principal", "User:a", "--topic", "t", "--resource-pattern-type", "match");
        assertUsageError("Unknown resource-pattern-type: glob", "--list", "--resource-pattern-type", "glob");
    }

    @Test
    void producerConsumerAndOperationsAreCheckedAsKafkaDoes() {
        assertUsageError("With --producer you must specify a --topic", "--add", "--producer",
                "--allow-principal", "User:a", "--transactional-id", "tx");
        assertUsageError("The --idempotent option is only available if --producer is set", "--add", "--idempotent",
                "--allow-principal", "User:a", "--topic", "t");
        assertUsageError("With --consumer you must specify a --topic and a --group", "--add", "--consumer",
                "--allow-principal", "User:a", "--topic", "t");
        assertUsageError("can't be used with option", "--add", "--consumer", "--operation", "Read",
                "--allow-principal", "User:a", "--topic", "t", "--group", "g");
        assertUsageError("Invalid operation: Fly", "--add", "--operation", "Fly", "--allow-principal", "User:a",
                "--topic", "t");
        assertUsageError("ResourceType GROUP only supports operations", "--add", "--operation", "Write",
                "--allow-principal", "User:a", "--group", "g");
        assertUsageError("principal must be of the form principalType:name, not alice", "--add",
                "--allow-principal", "alice", "--topic", "t");
    }
}
