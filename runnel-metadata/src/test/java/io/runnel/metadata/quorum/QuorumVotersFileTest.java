package io.runnel.metadata.quorum;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class QuorumVotersFileTest {
    @TempDir
    Path dir;

    @Test
    void votersWrittenAreReadBackAndReplacedWhole() throws IOException {
        assertEquals(Optional.empty(), QuorumVotersFile.read(dir));
        QuorumVotersFile.write(dir, Map.of(3, InetSocketAddress.createUnresolved("c", 9095),
                1, InetSocketAddress.createUnresolved("a", 9093)));
        QuorumVotersFile.write(dir, Map.of(1, InetSocketAddress.createUnresolved("a", 9093),
                4, InetSocketAddress.createUnresolved("d", 9099)));
        Map<Integer, InetSocketAddress> read = QuorumVotersFile.read(dir).orElseThrow();
        assertEquals(Map.of(1, "a:9093", 4, "d:9099"), Map.of(1, text(read.get(1)), 4, text(read.get(4))));
        assertEquals(2, read.size());
    }

    @Test
    void aDamagedFileIsAnErrorNamingIt() throws IOException {
        Files.writeString(dir.resolve(QuorumVotersFile.NAME), "1@a:9093\nb:9094\n");
        IOException e = assertThrows(IOException.class, () -> QuorumVotersFile.read(dir));
        assertTrue(e.getMessage().contains("'b:9094', not id@host:port"), e.getMessage());
    }

    private static String text(InetSocketAddress address) {
        return address.getHostString() + ":" + address.getPort();
    }
}
