package io.runnel.tools;

import java.io.PrintWriter;
import java.util.concurrent.CountDownLatch;
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

    /**
     * Prints {@code started}, then waits until SIGTERM or SIGINT has run {@code close}: how a service that runs
     * alone (the schema registry, the REST proxy) serves until it is stopped. Returns the exit code, 0.
     */
    static int serveUntilTerminated(Runnable close, PrintWriter out, String started) throws InterruptedException {
        CountDownLatch stopped = new CountDownLatch(1);
        onTermination(() -> {
            close.run();
            stopped.countDown();
        });
        out.println(started);
        out.flush();
        stopped.await();
        return 0;
    }
}
