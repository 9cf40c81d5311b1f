package io.runnel.it.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.runnel.it.RunnelCluster;
import io.runnel.it.transactions.RawTransactions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * librdkafka's read_committed (confluent-kafka-python through {@code src/test/clients/python/read_committed_driver.py})
 * on a partition holding committed and aborted transactions interleaved: it reads only the committed records, and
 * read_uncommitted reads them all. The transactions are written on the wire ({@link RawTransactions}).
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConfluentKafkaPythonReadCommittedTest {
    private static final String PYTHON = "/usr/bin/python3";
    private static final String TOPIC = "python-read-committed";
    private RunnelCluster cluster;

    @BeforeAll
    void start() throws Exception {
        ClientCommand.requireInstalled("confluent-kafka-python", "apt-get install python3-confluent-kafka",
                PYTHON, "-c", "import confluent_kafka");
        cluster = RunnelCluster.builder().start();
        cluster.createTopic(TOPIC, 1);
        try (RawTransactions txns = new RawTransactions(cluster.bootstrapServers())) {
            txns.writeInterleaved(TOPIC);
        }
    }

    @AfterAll
    void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void readCommittedSkipsTheAbortedTransactions() throws Exception {
        assertEquals(RawTransactions.COMMITTED, read("read_committed"));
    }

    @Test
    void readUncommittedReadsEveryRecord() throws Exception {
        assertEquals(RawTransactions.ALL, read("read_uncommitted"));
    }

    private List<String> read(String isolation) throws Exception {
        String out = ClientCommand.run("", List.of(PYTHON, ClientCommand.clientsDir().resolve("python")
                .resolve("read_committed_driver.py").toString(), cluster.bootstrapServers(), TOPIC, isolation));
        return out.lines().toList();
    }
}
