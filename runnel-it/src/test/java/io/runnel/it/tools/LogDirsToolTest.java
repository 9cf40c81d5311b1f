package io.runnel.it.tools;

import static io.runnel.it.Futures.get;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.runnel.it.RunnelCluster;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code runnel log-dirs --describe} as kafka-log-dirs.sh, on three brokers with two log dirs each. */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class LogDirsToolTest {
    @TempDir
    Path workDir;

    @Test
    void describesEveryBrokersDirsOrTheOnesAskedFor() throws Exception {
        try (RunnelCluster cluster = RunnelCluster.builder().nodes(3).logDirsPerNode(2).start();
             Admin admin = cluster.admin()) {
            get(admin.createTopics(List.of(new NewTopic("listed", 2, (short) 3), new NewTopic("unlisted", 1, (short) 3)))
                    .all());
            try (KafkaProducer<byte[], byte[]> producer = cluster.producer(new Properties())) {
                producer.send(new ProducerRecord<>("listed", 0, null, "v".getBytes())).get();
            }
            RunnelCli cli = new RunnelCli(workDir);
            String bootstrap = cluster.bootstrapServers();

            RunnelCli.Result all = cli.run("", "log-dirs", "--describe", "--bootstrap-server", bootstrap,
                    "--topic-list", "listed");
            assertEquals(0, all.exitCode(), all.toString());
            List<String> lines = all.out().lines().toList();
            assertEquals(List.of("Querying brokers for log directories information",
                    "Received log directory information from brokers 1,2,3"), lines.subList(0, 2), all.toString());
            String json = lines.get(2);
            assertTrue(json.startsWith("{\"brokers\":[{\"broker\":1,\"logDirs\":[{\"partitions\":[")
                    && json.endsWith("]}],\"version\":1}"), json);
            for (int broker = 1; broker <= 3; broker++) {
                assertTrue(json.contains("{\"broker\":" + broker + ",\"logDirs\":["), json);
                for (Path dir : cluster.logDirs(broker)) {
                    assertTrue(json.contains("\"error\":null,\"logDir\":\"" + dir.toAbsolutePath() + "\"}"), json);
                }
            }
            assertTrue(json.matches(".*\\{\"partition\":\"listed-0\",\"size\":[1-9][0-9]*,\"offsetLag\":0,"
                    + "\"isFuture\":false}.*"), json);
            assertTrue(json.contains("{\"partition\":\"listed-1\",\"size\":0,\"offsetLag\":0,\"isFuture\":false}"), json);
            assertFalse(json.contains("unlisted"), json);

            RunnelCli.Result one = cli.run("", "log-dirs", "--describe", "--bootstrap-server", bootstrap,
                    "--broker-list", "2");
            assertEquals("Received log directory information from brokers 2", one.out().lines().toList().get(1),
                    one.toString());
            assertTrue(one.out().lines().toList().get(2).startsWith("{\"brokers\":[{\"broker\":2,\"logDirs\":[")
                    && one.out().contains("unlisted-0"), one.toString());

            RunnelCli.Result missing = cli.run("", "log-dirs", "--describe", "--bootstrap-server", bootstrap,
                    "--broker-list", "2,7");
            assertEquals(1, missing.exitCode(), missing.toString());
            assertTrue(missing.err().contains("ERROR: The given brokers do not exist from --broker-list: 7. Current "
                    + "existent brokers: 1,2,3\n"), missing.err());
            assertEquals("", missing.out());
        }
    }
}
