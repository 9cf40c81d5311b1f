package io.runnel.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Picks a port that was free a moment ago; it can be taken meanwhile, so callers retry start-up (see PortInUse).
 * Ports come from below Linux's ephemeral range (32768-60999 by default), never from it: a node restarted on its
 * ports (a voter's address is fixed) must not find one taken by the local end of some outgoing connection, which
 * the test JVMs running side by side open by the thousand.
 */
public final class FreePorts {
    private static final int LOWEST = 10_000;
    private static final int BELOW_EPHEMERAL = 32_768;
    private static final int ATTEMPTS = 1_000;

    private FreePorts() {
    }

    public static int pick() {
        IOException last = null;
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            int port = ThreadLocalRandom.current().nextInt(LOWEST, BELOW_EPHEMERAL);
            try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
                return socket.getLocalPort();
            } catch (IOException taken) {
                last = taken;
            }
        }
        throw new UncheckedIOException("No free port below " + BELOW_EPHEMERAL + " in " + ATTEMPTS + " attempts", last);
    }
}
