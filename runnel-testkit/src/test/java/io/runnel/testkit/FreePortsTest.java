package io.runnel.testkit;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

/** A port taken between its pick and the node's bind is recognised, so that the cluster starts again elsewhere. */
class FreePortsTest {
    @Test
    void aPickedPortCanBeBoundAndAPortTakenMeanwhileIsABindFailure() throws IOException {
        int port = FreePorts.pick();
        try (ServerSocket taken = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            IOException failure = assertThrows(IOException.class,
                    () -> new ServerSocket(taken.getLocalPort(), 1, InetAddress.getLoopbackAddress()).close());
            assertTrue(FreePorts.bindFailed(new IllegalStateException("Runnel did not start", failure)));
        }
        assertTrue(FreePorts.bindFailed(new IOException("bind(..) failed: Address already in use")));
        assertFalse(FreePorts.bindFailed(new IllegalStateException("Storage in [/tmp/x] is not formatted")));
    }
}
