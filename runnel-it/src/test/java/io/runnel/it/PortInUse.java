package io.runnel.it;

import java.net.BindException;

/** Recognises a start-up failure caused by a port taken since it was picked, which a retry can fix. */
public final class PortInUse {
    public static final String MESSAGE = "Address already in use";

    private PortInUse() {
    }

    /** The JDK throws BindException; Netty's native transports an IOException carrying the OS message. */
    static boolean causedBy(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof BindException || (t.getMessage() != null && t.getMessage().contains(MESSAGE))) {
                return true;
            }
        }
        return false;
    }
}
