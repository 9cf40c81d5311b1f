package io.runnel.tools;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionReplica;

/**
 * The JSON files of kafka-reassign-partitions.sh: the topics to move ({@code {"version":1,"topics":[{"topic":"t"}]}})
 * and reassignments ({@code {"version":1,"partitions":[{"topic":"t","partition":0,"replicas":[1,2],
 * "log_dirs":["any","/data/b"]}]}}), read and written as Kafka's tool does.
 */
final class ReassignmentJson {
    static final String ANY_LOG_DIR = "any";
    /** Kafka's order for partitions: by topic, then partition. */
    static final Comparator<TopicPartition> ORDER = Comparator.comparing(TopicPartition::topic)
            .thenComparingInt(TopicPartition::partition);

    private ReassignmentJson() {
    }

    /**
     * A reassignment file: each partition's target replicas, in file order, and the log dir each replica whose
     * {@code log_dirs} entry is not "any" is to move to.
     */
    record Reassignment(Map<TopicPartition, List<Integer>> replicas, Map<TopicPartitionReplica, String> logDirs) {
    }

    /** The reassignment file's targets; refuses what Kafka's tool refuses. */
    static Reassignment parseReassignment(String json) {
        Map<String, Object> root = root(json, "partitions");
        Map<TopicPartition, List<Integer>> targets = new LinkedHashMap<>();
        Map<TopicPartitionReplica, String> logDirTargets = new LinkedHashMap<>();
        List<String> duplicatePartitions = new ArrayList<>();
        List<String> duplicateReplicas = new ArrayList<>();
        for (Object entry : list(root.get("partitions"), "partitions")) {
            if (!(entry instanceof Map<?, ?> p) || !(p.get("topic") instanceof String topic)
                    || !(p.get("partition") instanceof Long partition)) {
                throw new IllegalArgumentException("Each partition needs \"topic\" and \"partition\": " + entry);
            }
            TopicPartition tp = new TopicPartition(topic, partition.intValue());
            List<Integer> replicas = new ArrayList<>();
            for (Object replica : list(p.get("replicas"), "replicas of " + tp)) {
                if (!(replica instanceof Long id)) {
                    throw new IllegalArgumentException("The replicas of " + tp + " must be broker ids: " + replica);
                }
                replicas.add(id.intValue());
            }
            if (p.get("log_dirs") != null) {
                List<Object> logDirs = list(p.get("log_dirs"), "log_dirs of " + tp);
                if (logDirs.size() != replicas.size()) {
                    throw new IllegalArgumentException("Size of replicas list " + replicas
                            + " is different from size of log dirs list " + logDirs + " for partition " + tp);
                }
                for (int i = 0; i < logDirs.size(); i++) {
                    if (!(logDirs.get(i) instanceof String dir)) {
                        throw new IllegalArgumentException("The log_dirs of " + tp + " must be paths or \"any\": "
                                + logDirs);
                    }
                    if (!ANY_LOG_DIR.equals(dir)) {
                        logDirTargets.put(new TopicPartitionReplica(tp.topic(), tp.partition(), replicas.get(i)), dir);
                    }
                }
            }
            if (replicas.isEmpty()) {
                throw new IllegalArgumentException("Partition replica list cannot be empty");
            }
            if (targets.put(tp, replicas) != null) {
                duplicatePartitions.add(tp.toString());
            }
            String repeated = replicas.stream().filter(r -> replicas.indexOf(r) != replicas.lastIndexOf(r)).distinct()
                    .map(String::valueOf).collect(Collectors.joining(","));
            if (!repeated.isEmpty()) {
                duplicateReplicas.add(tp + " contains multiple entries for " + repeated);
            }
        }
        if (targets.isEmpty()) {
            throw new IllegalArgumentException("Partition reassignment list cannot be empty");
        }
        if (!duplicatePartitions.isEmpty()) {
            throw new IllegalArgumentException("Partition reassignment contains duplicate topic partitions: "
                    + String.join(",", duplicatePartitions));
        }
        if (!duplicateReplicas.isEmpty()) {
            throw new IllegalArgumentException("Partition replica lists may not contain duplicate entries: "
                    + String.join(". ", duplicateReplicas));
        }
        return new Reassignment(targets, logDirTargets);
    }

    /** The topics-to-move file's topic names, in file order. */
    static List<String> parseTopics(String json) {
        Map<String, Object> root = root(json, "topics");
        List<String> topics = new ArrayList<>();
        for (Object entry : list(root.get("topics"), "topics")) {
            if (!(entry instanceof Map<?, ?> t) || !(t.get("topic") instanceof String topic)) {
                throw new IllegalArgumentException("Each topic needs \"topic\": " + entry);
            }
            topics.add(topic);
        }
        return topics;
    }

    /** Kafka's reassignment JSON of {@code assignment}, partitions in Kafka's order, every log dir "any". */
    static String format(Map<TopicPartition, List<Integer>> assignment) {
        Map<TopicPartition, List<Integer>> sorted = new TreeMap<>(ORDER);
        sorted.putAll(assignment);
        return sorted.entrySet().stream().map(e -> "{\"topic\":" + Json.quote(e.getKey().topic())
                        + ",\"partition\":" + e.getKey().partition()
                        + ",\"replicas\":[" + e.getValue().stream().map(String::valueOf).collect(Collectors.joining(","))
                        + "],\"log_dirs\":[" + e.getValue().stream().map(r -> Json.quote(ANY_LOG_DIR))
                        .collect(Collectors.joining(",")) + "]}")
                .collect(Collectors.joining(",", "{\"version\":1,\"partitions\":[", "]}"));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> root(String json, String field) {
        Object root = Json.parse(json);
        if (!(root instanceof Map<?, ?> map)) {
            throw new IllegalArgumentException("The file must hold a JSON object with \"" + field + "\"");
        }
        Object version = map.get("version");
        if (version != null && !Long.valueOf(1).equals(version)) {
            throw new IllegalArgumentException("Not supported version field value " + version);
        }
        return (Map<String, Object>) map;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object value, String what) {
        if (value == null) {
            return List.of();
        }
        if (!(value instanceof List<?> list)) {
            throw new IllegalArgumentException("\"" + what + "\" must be a JSON array: " + value);
        }
        return (List<Object>) list;
    }
}
