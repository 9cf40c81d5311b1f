package io.runnel.it;

import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@Timeout(value = 120, unit = TimeUnit.SECONDS)
class CompressionRoundTripTest {
    private static final int RECORDS = 20_000;
    private static final int PARTITIONS = 3;

    private static RunnelCluster cluster;

    @BeforeAll
    static void startBroker() throws Exception {
        cluster = RunnelCluster.builder().start();
    }

    @AfterAll
    static void stopBroker() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"gzip", "snappy", "lz4", "zstd"})
    void compressedBatchesComeBackIntact(String codec) {
        Properties producer = new Properties();
        producer.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, codec);
        // Batches large enough that each holds many records, so the codec really compresses.
        producer.put(ProducerConfig.LINGER_MS_CONFIG, "20");
        producer.put(ProducerConfig.BATCH_SIZE_CONFIG, "65536");
        RoundTrip.run(cluster, "compressed-" + codec, PARTITIONS, RECORDS, producer);
    }
}
