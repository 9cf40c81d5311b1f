package io.runnel.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Loopback ports for the listeners that cannot take an ephemeral one (a controller's address is fixed in the quorum's
 * voter list). A port free a moment ago can be taken before the node binds it, so starters retry when
 * {@link #bindFailed} says that is what happened. Ports come from below Linux's ephemeral range (32768-60999 by
 * default), never from it, so that no local end of an outgoing connection holds one.
 */
public final class FreePorts {
    private static final int LOWEST = 10_000;
    private static final int BELOW_EPHEMERAL = 32_768;
    private static final int ATTEMPTS = 1_000;
    /** What the OS says when a port is taken; Netty's native transports carry it in an IOException. */
    public static final String IN_USE_MESSAGE = "Address already in use";

    private FreePorts() {
    }

    /** A loopback port nothing listened on a moment ago. */
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

    /**
     * Whether a start-up failed because a port was taken since it was picked. The JDK throws BindException; Netty's
     * native transports an IOException carrying the OS message.
     */
    public static boolean bindFailed(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof BindException || (t.getMessage() != null && t.getMessage().contains(IN_USE_MESSAGE))) {
                return true;
            }
        }
        return false;
    }
}
