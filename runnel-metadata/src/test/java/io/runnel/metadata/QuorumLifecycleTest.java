package io.runnel.metadata;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.common.errors.NotControllerException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class QuorumLifecycleTest {
    @TempDir
    Path dir;

    /** Threads of Ratis (peer "n1", its clients) that would keep the JVM alive. */
    private static List<String> liveNonDaemonRatisThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && !t.isDaemon())
                .map(Thread::getName)
                .filter(n -> n.startsWith("n1") || n.startsWith("client-"))
                .toList();
    }

    @Test
    void closeLeavesNoThreadThatKeepsTheJvmAlive() throws Exception {
        try (MetadataQuorum quorum = QuorumTestSupport.startSingle(dir, 100)) {
            QuorumTestSupport.get(quorum.controller().allocateProducerIds(1, 5));
        }
        assertEquals(List.of(), liveNonDaemonRatisThreads());
    }

    @Test
    void failedStartCleansUp() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            MetadataQuorum quorum = new MetadataQuorum(QuorumTestSupport.config(dir, taken.getLocalPort(), 100));
            assertThrows(IOException.class, quorum::start);
            assertEquals(List.of(), liveNonDaemonRatisThreads());
            ExecutionException e = assertThrows(ExecutionException.class,
                    () -> QuorumTestSupport.get(quorum.controller().allocateProducerIds(1, 5)));
            assertEquals(NotControllerException.class, e.getCause().getClass());
            quorum.close();
        }
    }
}
