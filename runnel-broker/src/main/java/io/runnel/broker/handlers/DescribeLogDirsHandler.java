package io.runnel.broker.handlers;

import io.runnel.broker.protocol.ApiHandler;
import io.runnel.broker.protocol.RequestContext;
import io.runnel.storage.LogManager;
import io.runnel.storage.PartitionLog;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.message.DescribeLogDirsRequestData;
import org.apache.kafka.common.message.DescribeLogDirsResponseData;
import org.apache.kafka.common.message.DescribeLogDirsResponseData.DescribeLogDirsPartition;
import org.apache.kafka.common.message.DescribeLogDirsResponseData.DescribeLogDirsResult;
import org.apache.kafka.common.message.DescribeLogDirsResponseData.DescribeLogDirsTopic;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * DescribeLogDirs: each of this broker's log dirs with the partitions it holds (all, or those the request names),
 * their sizes in bytes, and (v4+) the space of the dir's file store. A replica moving to another dir is listed there
 * too, as a future replica (IsFutureKey) with how many offsets its copy is behind (OffsetLag); a current replica's
 * lag is 0, as in Kafka (its high watermark never passes its end). A dir an I/O error took offline answers
 * KAFKA_STORAGE_ERROR and nothing else, as Kafka's. The caller checks DESCRIBE on the cluster.
 */
public final class DescribeLogDirsHandler implements ApiHandler {
    /** Kafka's value for space it cannot know (DescribeLogDirsResponse.UNKNOWN_VOLUME_BYTES). */
    private static final long UNKNOWN_VOLUME_BYTES = -1;

    private final LogManager logs;
    /** Asking the file store for its space is a system call that a failing disk can hold: never on an event loop. */
    private final Executor executor;

    public DescribeLogDirsHandler(LogManager logs, Executor executor) {
        this.logs = logs;
        this.executor = executor;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestContext ctx, ApiMessage message) {
        DescribeLogDirsRequestData request = (DescribeLogDirsRequestData) message;
        return CompletableFuture.supplyAsync(() -> describe(request), executor);
    }

    private DescribeLogDirsResponseData describe(DescribeLogDirsRequestData request) {
        Set<TopicPartition> wanted = request.topics() == null ? null : wanted(request.topics());
        DescribeLogDirsResponseData response = new DescribeLogDirsResponseData();
        for (Path dir : logs.logDirs()) {
            response.results().add(describe(dir, wanted));
        }
        return response;
    }

    private static Set<TopicPartition> wanted(DescribeLogDirsRequestData.DescribableLogDirTopicCollection topics) {
        Set<TopicPartition> wanted = new HashSet<>();
        topics.forEach(t -> t.partitions().forEach(p -> wanted.add(new TopicPartition(t.topic(), p))));
        return wanted;
    }

    private DescribeLogDirsResult describe(Path dir, Set<TopicPartition> wanted) {
        DescribeLogDirsResult result = new DescribeLogDirsResult().setLogDir(dir.toAbsolutePath().toString());
        if (logs.isOffline(dir)) {
            return result.setErrorCode(Errors.KAFKA_STORAGE_ERROR.code()).setTotalBytes(UNKNOWN_VOLUME_BYTES)
                    .setUsableBytes(UNKNOWN_VOLUME_BYTES);
        }
        Map<String, DescribeLogDirsTopic> topics = new TreeMap<>();
        for (PartitionLog log : logs.logsIn(dir)) {
            add(topics, wanted, log, 0, false);
        }
        for (PartitionLog future : logs.futureLogsIn(dir)) {
            add(topics, wanted, future, logs.futureOffsetLag(future.topicPartition()), true);
        }
        topics.values().forEach(t -> t.partitions().sort(Comparator.comparingInt(
                DescribeLogDirsPartition::partitionIndex)));
        result.topics().addAll(topics.values());
        return withSpace(result, dir);
    }

    private static void add(Map<String, DescribeLogDirsTopic> topics, Set<TopicPartition> wanted, PartitionLog log,
                            long offsetLag, boolean future) {
        TopicPartition tp = log.topicPartition();
        if (wanted == null || wanted.contains(tp)) {
            topics.computeIfAbsent(tp.topic(), name -> new DescribeLogDirsTopic().setName(name)).partitions()
                    .add(new DescribeLogDirsPartition().setPartitionIndex(tp.partition())
                            .setPartitionSize(log.size()).setOffsetLag(offsetLag).setIsFutureKey(future));
        }
    }

    private static DescribeLogDirsResult withSpace(DescribeLogDirsResult result, Path dir) {
        try {
            FileStore store = Files.getFileStore(dir);
            return result.setErrorCode(Errors.NONE.code()).setTotalBytes(store.getTotalSpace())
                    .setUsableBytes(store.getUsableSpace());
        } catch (IOException e) {
            return result.setTotalBytes(UNKNOWN_VOLUME_BYTES).setUsableBytes(UNKNOWN_VOLUME_BYTES);
        }
    }
}
