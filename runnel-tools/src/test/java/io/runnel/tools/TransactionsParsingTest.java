package io.runnel.tools;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** Argument errors of transactions, with kafka-transactions.sh's messages, refused before any connection. */
class TransactionsParsingTest {
    private static void assertRefused(String message, String... args) {
        CliResult.assertRefusedBeforeConnecting("transactions", message, args);
    }

    @Test
    void theSubcommandsAreKafkas() {
        assertRefused("Missing the command: one of [list, describe, describe-producers, abort, find-hanging, "
                + "forceTerminateTransaction, force-terminate]");
        CliResult help = CliResult.run("--help");
        assertTrue(help.out().contains("transactions"), help.out());
    }

    @Test
    void eachSubcommandChecksItsArguments() {
        assertRefused("Missing required option: '--transactional-id=ID'", "describe");
        assertRefused("Missing required options: '--topic=TOPIC', '--partition=PARTITION'", "describe-producers");
        assertRefused("The transaction to abort must be identified either with --start-offset (for brokers on 3.0 or "
                + "above) or with --producer-id, --producer-epoch, and --coordinator-epoch (for older brokers)",
                "abort", "--topic", "t", "--partition", "0");
        assertRefused("Missing required argument --producer-epoch",
                "abort", "--topic", "t", "--partition", "0", "--producer-id", "5");
        assertRefused("Missing required argument --coordinator-epoch",
                "abort", "--topic", "t", "--partition", "0", "--producer-id", "5", "--producer-epoch", "0");
        assertRefused("The `find-hanging` command requires either --topic or --broker-id to limit the scope of the "
                + "search", "find-hanging");
        assertRefused("The --partition argument requires --topic to be provided",
                "find-hanging", "--broker-id", "1", "--partition", "0");
        assertRefused("Invalid value for option '--max-transaction-timeout'",
                "find-hanging", "--topic", "t", "--max-transaction-timeout", "soon");
        assertRefused("Missing required option: '--transactionalId=ID'", "forceTerminateTransaction");
    }
}
