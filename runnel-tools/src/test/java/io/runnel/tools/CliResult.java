package io.runnel.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;

/** Runs the CLI in-process and captures its exit code, stdout and stderr. */
record CliResult(int exitCode, String out, String err) {
    static CliResult run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Runnel.commandLine()
                .setOut(new PrintWriter(out, true))
                .setErr(new PrintWriter(err, true))
                .execute(args);
        return new CliResult(code, out.toString(), err.toString());
    }

    /**
     * Runs {@code tool --bootstrap-server <unreachable> args...} and checks it is refused before any connection: exit
     * code 1, {@code message} on stderr, nothing on stdout.
     */
    static void assertRefusedBeforeConnecting(String tool, String message, String... args) {
        String[] full = new String[args.length + 3];
        full[0] = tool;
        full[1] = "--bootstrap-server";
        full[2] = "127.0.0.1:1";
        System.arraycopy(args, 0, full, 3, args.length);
        CliResult result = run(full);
        assertEquals(1, result.exitCode(), result.toString());
        assertTrue(result.err().contains(message), result.err());
        assertEquals("", result.out());
    }
}
