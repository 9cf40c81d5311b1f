package io.runnel.it.transactions;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.runnel.it.RunnelCluster;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A broker restarted with a transaction open and another aborted: the open one still holds the last stable offset
 * back (producer snapshot), read_committed consumers still skip the aborted one ({@code .txnindex}), and the open one
 * commits afterwards.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class TransactionRestartTest {
    private static final String TOPIC = "txn-restart";
    private final TopicPartition tp = new TopicPartition(TOPIC, 0);
    private RunnelCluster cluster;

    @AfterEach
    void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void openAndAbortedTransactionsSurviveARestart() throws Exception {
        cluster = RunnelCluster.builder().start();
        cluster.createTopic(TOPIC, 1);
        long openProducer;
        long openStart;
        try (RawTransactions txns = new RawTransactions(cluster.bootstrapServers())) {
            openProducer = txns.newProducerId();
            long aborter = txns.newProducerId();
            openStart = txns.send(TOPIC, 0, openProducer, 0, "open-0");
            txns.send(TOPIC, 0, aborter, 0, "aborted");
            assertEquals(Errors.NONE, txns.marker(TOPIC, 0, aborter, (short) 0, 0, false));
            txns.sendPlain(TOPIC, 0, "plain");
        }
        assertEquals(openStart, latestCommitted());

        cluster.restart();
        assertEquals(openStart, latestCommitted(), "the open transaction still holds the LSO after the restart");
        try (RawTransactions txns = new RawTransactions(cluster.bootstrapServers())) {
            assertEquals(Errors.NONE, txns.marker(TOPIC, 0, openProducer, (short) 0, 0, true));
        }
        assertEquals(List.of("open-0", "plain"), IsolatedReads.readAll(cluster, tp, "read_committed"));
        assertEquals(List.of("open-0", "aborted", "plain"), IsolatedReads.readAll(cluster, tp, "read_uncommitted"));
    }

    private long latestCommitted() throws Exception {
        try (Admin admin = cluster.admin()) {
            return IsolatedReads.latest(admin, tp, IsolationLevel.READ_COMMITTED);
        }
    }
}
