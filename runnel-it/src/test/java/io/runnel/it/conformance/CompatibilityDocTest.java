package io.runnel.it.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.runnel.it.RunnelCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.message.ApiMessageType.ListenerType;
import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.junit.jupiter.api.Test;

/**
 * docs/compatibility.md stays true: its API table has a row for every api key of kafka-clients 4.4, with exactly the
 * versions the broker advertises and Kafka 4.4's range. Registering a handler or changing a range without updating
 * the page fails here.
 */
class CompatibilityDocTest {
    private static final Path DOC = Path.of(System.getProperty("basedir", System.getProperty("user.dir")))
            .toAbsolutePath().getParent().resolve("docs").resolve("compatibility.md");
    private static final String NOT_SUPPORTED = "not supported";

    /** One row of the table: key, API name, Runnel's versions, Kafka's versions. */
    private record Row(int key, String name, String runnel, String kafka) {
    }

    @Test
    void apiTableMatchesTheAdvertisedVersions() throws Exception {
        Map<Integer, Row> rows = rows();
        List<String> wrong = new ArrayList<>();
        try (RunnelCluster cluster = RunnelCluster.builder().start()) {
            ApiVersionsResponseData.ApiVersionCollection advertised =
                    ProtocolConformanceTest.advertised(cluster.bootstrapServers());
            for (ApiKeys api : ApiKeys.values()) {
                ApiVersionsResponseData.ApiVersion range = advertised.find(api.id);
                Row expected = new Row(api.id, api.name,
                        range == null ? NOT_SUPPORTED : versions(range.minVersion(), range.maxVersion()), kafkaRange(api));
                Row documented = rows.remove((int) api.id);
                if (!expected.equals(documented)) {
                    wrong.add("expected " + expected + ", documented " + documented);
                }
            }
        }
        rows.values().forEach(row -> wrong.add("documented but not an api key of kafka-clients 4.4: " + row));
        assertEquals(List.of(), wrong, "rows of " + DOC + " that disagree with the broker");
    }

    private static Map<Integer, Row> rows() throws Exception {
        Map<Integer, Row> rows = new TreeMap<>();
        for (String line : Files.readAllLines(DOC)) {
            if (!line.matches("\\| \\d+ \\|.*")) {
                continue;
            }
            String[] cells = line.substring(1).split("\\|");
            Row row = new Row(Integer.parseInt(cells[0].trim()), cells[1].trim(), cells[2].trim(), cells[3].trim());
            if (rows.put(row.key(), row) != null) {
                throw new AssertionError("api key " + row.key() + " has two rows in " + DOC);
            }
        }
        return rows;
    }

    /** Kafka 4.4's stable range, "removed" for the APIs it dropped, "(controller)" for those only controllers serve. */
    private static String kafkaRange(ApiKeys api) {
        short oldest = api.oldestVersion();
        short latest = api.latestVersion(false);
        if (latest < oldest) {
            return "removed";
        }
        return versions(oldest, latest) + (api.inScope(ListenerType.BROKER) ? "" : " (controller)");
    }

    private static String versions(short min, short max) {
        return min == max ? Short.toString(min) : min + "-" + max;
    }
}
