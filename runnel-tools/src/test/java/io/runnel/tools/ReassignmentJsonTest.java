package io.runnel.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionReplica;
import org.junit.jupiter.api.Test;

class ReassignmentJsonTest {
    @Test
    void writesKafkasFormatInTopicThenPartitionOrder() {
        Map<TopicPartition, List<Integer>> assignment = new LinkedHashMap<>();
        assignment.put(new TopicPartition("b", 0), List.of(3));
        assignment.put(new TopicPartition("a", 1), List.of(2, 3));
        assignment.put(new TopicPartition("a", 0), List.of(1, 2));
        assertEquals("{\"version\":1,\"partitions\":["
                + "{\"topic\":\"a\",\"partition\":0,\"replicas\":[1,2],\"log_dirs\":[\"any\",\"any\"]},"
                + "{\"topic\":\"a\",\"partition\":1,\"replicas\":[2,3],\"log_dirs\":[\"any\",\"any\"]},"
                + "{\"topic\":\"b\",\"partition\":0,\"replicas\":[3],\"log_dirs\":[\"any\"]}]}",
                ReassignmentJson.format(assignment));
        assertEquals(new ReassignmentJson.Reassignment(assignment, Map.of()),
                ReassignmentJson.parseReassignment(ReassignmentJson.format(assignment)));
    }

    @Test
    void readsTheLogDirOfEachReplicaNotAny() {
        ReassignmentJson.Reassignment parsed = ReassignmentJson.parseReassignment("{\"version\":1,\"partitions\":["
                + "{\"topic\":\"a\",\"partition\":0,\"replicas\":[1,2],\"log_dirs\":[\"any\",\"/data/b\"]}]}");
        assertEquals(Map.of(new TopicPartition("a", 0), List.of(1, 2)), parsed.replicas());
        assertEquals(Map.of(new TopicPartitionReplica("a", 0, 2), "/data/b"), parsed.logDirs());
    }

    @Test
    void readsTheTopicsToMove() {
        assertEquals(List.of("a", "b"),
                ReassignmentJson.parseTopics("{\"topics\": [{\"topic\": \"a\"}, {\"topic\": \"b\"}], \"version\": 1}"));
    }

    @Test
    void refusesWhatKafkasToolRefuses() {
        assertEquals("Partition reassignment list cannot be empty", refusal("{\"version\":1,\"partitions\":[]}"));
        assertEquals("Partition replica list cannot be empty",
                refusal("{\"partitions\":[{\"topic\":\"a\",\"partition\":0,\"replicas\":[]}]}"));
        assertEquals("Partition reassignment contains duplicate topic partitions: a-0",
                refusal("{\"partitions\":[{\"topic\":\"a\",\"partition\":0,\"replicas\":[1]},"
                        + "{\"topic\":\"a\",\"partition\":0,\"replicas\":[2]}]}"));
        assertEquals("Partition replica lists may not contain duplicate entries: a-0 contains multiple entries for 2",
                refusal("{\"partitions\":[{\"topic\":\"a\",\"partition\":0,\"replicas\":[2,1,2]}]}"));
        assertEquals("Size of replicas list [1, 2] is different from size of log dirs list [any] for partition a-0",
                refusal("{\"partitions\":[{\"topic\":\"a\",\"partition\":0,\"replicas\":[1,2],\"log_dirs\":[\"any\"]}]}"));
        assertEquals("Not supported version field value 2", refusal("{\"version\":2,\"partitions\":[]}"));
    }

    private static String refusal(String json) {
        return assertThrows(IllegalArgumentException.class, () -> ReassignmentJson.parseReassignment(json)).getMessage();
    }
}
