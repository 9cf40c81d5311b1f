package io.runnel.broker.handlers;

import io.runnel.broker.protocol.ApiHandler;
import io.runnel.broker.protocol.RequestContext;
import io.runnel.broker.replica.ReplicaManager;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.message.AlterReplicaLogDirsRequestData;
import org.apache.kafka.common.message.AlterReplicaLogDirsResponseData;
import org.apache.kafka.common.message.AlterReplicaLogDirsResponseData.AlterReplicaLogDirPartitionResult;
import org.apache.kafka.common.message.AlterReplicaLogDirsResponseData.AlterReplicaLogDirTopicResult;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * AlterReplicaLogDirs: moves this broker's replicas to the log dirs named (JBOD), each partition answered with its own
 * error as Kafka's broker does: LOG_DIR_NOT_FOUND for a path not in log.dirs, KAFKA_STORAGE_ERROR for an offline dir,
 * REPLICA_NOT_AVAILABLE for a replica not here yet (created in that dir when it comes). The move itself runs in the
 * background; DescribeLogDirs shows it as a future replica until it completes. The caller checks ALTER on the cluster.
 */
public final class AlterReplicaLogDirsHandler implements ApiHandler {
    private final ReplicaManager replicas;

    public AlterReplicaLogDirsHandler(ReplicaManager replicas) {
        this.replicas = replicas;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestContext ctx, ApiMessage message) {
        AlterReplicaLogDirsRequestData request = (AlterReplicaLogDirsRequestData) message;
        Map<TopicPartition, String> dirs = new LinkedHashMap<>();
        request.dirs().forEach(dir -> dir.topics().forEach(topic -> topic.partitions().forEach(
                p -> dirs.put(new TopicPartition(topic.name(), p), dir.path()))));
        return replicas.alterReplicaLogDirs(dirs).thenApply(AlterReplicaLogDirsHandler::response);
    }

    private static ApiMessage response(Map<TopicPartition, Errors> errors) {
        Map<String, AlterReplicaLogDirTopicResult> topics = new LinkedHashMap<>();
        errors.forEach((tp, error) -> topics.computeIfAbsent(tp.topic(),
                name -> new AlterReplicaLogDirTopicResult().setTopicName(name)).partitions()
                .add(new AlterReplicaLogDirPartitionResult().setPartitionIndex(tp.partition())
                        .setErrorCode(error.code())));
        return new AlterReplicaLogDirsResponseData().setResults(topics.values().stream().toList());
    }
}
