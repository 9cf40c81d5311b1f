package io.runnel.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.runnel.broker.metrics.BrokerMetrics;
import java.lang.management.ManagementFactory;
import javax.management.remote.JMXConnectorServer;
import javax.management.remote.JMXConnectorServerFactory;
import javax.management.remote.JMXServiceURL;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code runnel jmx} against a JMX connector of this JVM, exporting a broker's metrics. */
class JmxCommandTest {
    private static final String MESSAGES_IN = "kafka.server:type=BrokerTopicMetrics,name=MessagesInPerSec";

    private final BrokerMetrics metrics = new BrokerMetrics();
    private JMXConnectorServer connectorServer;

    @BeforeEach
    void start() throws Exception {
        metrics.exportToJmx();
        metrics.topics().topic("orders").appended(7, 700);
        // No registry: the address carries the connection's stub, so no port is bound.
        connectorServer = JMXConnectorServerFactory.newJMXConnectorServer(new JMXServiceURL("service:jmx:rmi://127.0.0.1"),
                null, ManagementFactory.getPlatformMBeanServer());
        connectorServer.start();
    }

    @AfterEach
    void stop() throws Exception {
        connectorServer.stop();
        metrics.close();
    }

    @Test
    void printsAQuotedHeaderAndOneRowOfTheChosenAttributesAsKafkasJmxTool() {
        CliResult result = CliResult.run("jmx", "--jmx-url", connectorServer.getAddress().toString(),
                "--object-name", MESSAGES_IN + ",topic=*", "--object-name", MESSAGES_IN,
                "--attributes", "Count,RateUnit", "--one-time");

        assertEquals(0, result.exitCode(), result.toString());
        String[] lines = result.out().split("\n");
        assertEquals(2, lines.length, result.out());
        // Keys in string order, as Kafka's tool sorts them: ',' sorts before ':'.
        assertEquals("\"time\",\"" + MESSAGES_IN + ",topic=orders:Count\",\"" + MESSAGES_IN + ",topic=orders:RateUnit\",\""
                + MESSAGES_IN + ":Count\",\"" + MESSAGES_IN + ":RateUnit\"", lines[0]);
        assertTrue(lines[1].matches("\\d+,7,events/second,7,events/second"), lines[1]);
    }

    @Test
    void propertiesFormatPrintsOneKeyAndValueALine() {
        CliResult result = CliResult.run("jmx", "--jmx-url", connectorServer.getAddress().toString(),
                "--object-name", MESSAGES_IN + ",topic=orders", "--attributes", "Count",
                "--report-format", "properties", "--reporting-interval", "-1");

        assertEquals(0, result.exitCode(), result.toString());
        assertTrue(result.out().matches("time=\\d+\n" + MESSAGES_IN + ",topic=orders:Count=7\n"),
                result.out());
    }
}
