package io.runnel.it;

import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ProduceConsumeRoundTripTest {
    private static final int RECORDS = 100_000;
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

    static Stream<Arguments> producerSettings() {
        return Stream.of(
                Arguments.of("idempotent-default", producer()),
                Arguments.of("acks-0", producer(ProducerConfig.ACKS_CONFIG, "0",
                        ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "false")),
                Arguments.of("acks-1", producer(ProducerConfig.ACKS_CONFIG, "1",
                        ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "false")),
                Arguments.of("acks-all", producer(ProducerConfig.ACKS_CONFIG, "all",
                        ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "false")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("producerSettings")
    void everyRecordComesBackInItsPartitionInSendOrder(String name, Properties producerOverrides) {
        RoundTrip.run(cluster, "round-trip-" + name, PARTITIONS, RECORDS, producerOverrides);
    }

    private static Properties producer(String... keyValues) {
        Properties props = new Properties();
        for (int i = 0; i < keyValues.length; i += 2) {
            props.put(keyValues[i], keyValues[i + 1]);
        }
        return props;
    }
}
