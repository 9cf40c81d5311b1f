package io.runnel.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.LogDirDescription;
import org.apache.kafka.clients.admin.ReplicaInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.KafkaStorageException;
import org.junit.jupiter.api.Test;

/** log-dirs' argument errors, refused before any connection, and its JSON line as kafka-log-dirs.sh writes it. */
class LogDirsParsingTest {
    private static void assertRefused(String message, String... args) {
        CliResult.assertRefusedBeforeConnecting("log-dirs", message, args);
    }

    @Test
    void describeIsRequiredAndBrokerIdsAreNumbers() {
        assertRefused("Missing required option: '--describe'");
        assertRefused("Invalid broker id in --broker-list: two", "--describe", "--broker-list", "1,two");
    }

    @Test
    void theJsonLineIsKafkas() {
        Map<String, LogDirDescription> dirs = new LinkedHashMap<>();
        dirs.put("/data/a", new LogDirDescription(null, Map.of(
                new TopicPartition("t", 0), new ReplicaInfo(123, 0, false),
                new TopicPartition("other", 0), new ReplicaInfo(5, 0, false)), 1000, 500));
        dirs.put("/data/b", new LogDirDescription(new KafkaStorageException("offline"), Map.of(), -1, -1));
        assertEquals("{\"brokers\":[{\"broker\":1,\"logDirs\":["
                + "{\"partitions\":[{\"partition\":\"t-0\",\"size\":123,\"offsetLag\":0,\"isFuture\":false}],"
                + "\"error\":null,\"logDir\":\"/data/a\"},"
                + "{\"partitions\":[],\"error\":\"org.apache.kafka.common.errors.KafkaStorageException\","
                + "\"logDir\":\"/data/b\"}]}],\"version\":1}",
                LogDirsCommand.json(Map.of(1, dirs), Set.of("t")));
    }
}
