package io.runnel.tools;

import sun.misc.Signal;

/**
 * Runs an action on SIGTERM or SIGINT instead of the JVM's default handling, so that a clean shutdown
 * ends with exit code 0 rather than 128 + the signal number.
 */
final class TerminationSignals {
    private TerminationSignals() {
    }

    static void onTermination(Runnable action) {
        for (String name : new String[] {"TERM", "INT"}) {
            try {
                Signal.handle(new Signal(name), signal -> action.run());
            } catch (IllegalArgumentException unsupported) {
                // The platform reserves this signal: fall back to the JVM's shutdown sequence.
                Runtime.getRuntime().addShutdownHook(new Thread(action, "runnel-shutdown"));
            }
        }
    }
}
