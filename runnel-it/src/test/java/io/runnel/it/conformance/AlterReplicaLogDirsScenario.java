package io.runnel.it.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.message.AlterReplicaLogDirsRequestData;
import org.apache.kafka.common.message.AlterReplicaLogDirsRequestData.AlterReplicaLogDir;
import org.apache.kafka.common.message.AlterReplicaLogDirsRequestData.AlterReplicaLogDirCollection;
import org.apache.kafka.common.message.AlterReplicaLogDirsRequestData.AlterReplicaLogDirTopic;
import org.apache.kafka.common.message.AlterReplicaLogDirsRequestData.AlterReplicaLogDirTopicCollection;
import org.apache.kafka.common.message.AlterReplicaLogDirsResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;

/**
 * AlterReplicaLogDirs on the fixture's one log dir: partition 0 of the records topic "moved" to the dir it is in
 * (nothing to do: NONE) and partition 1 to a path that is not a log dir (LOG_DIR_NOT_FOUND), each answered alone.
 */
final class AlterReplicaLogDirsScenario implements ApiScenario {
    @Override
    public ApiKeys api() {
        return ApiKeys.ALTER_REPLICA_LOG_DIRS;
    }

    @Override
    public void run(Exchange x) throws Exception {
        String logDir = x.fixture().logDir().toAbsolutePath().toString();
        AlterReplicaLogDirCollection dirs = new AlterReplicaLogDirCollection();
        dirs.add(dir(logDir, 0));
        dirs.add(dir(logDir + "-not-a-log-dir", 1));
        AlterReplicaLogDirsResponseData response = x.send(new AlterReplicaLogDirsRequestData().setDirs(dirs));
        Map<Integer, Short> errors = new HashMap<>();
        assertEquals(1, response.results().size(), "one topic: " + response);
        assertEquals(Fixture.TOPIC, response.results().get(0).topicName(), "topic");
        response.results().get(0).partitions().forEach(p -> errors.put(p.partitionIndex(), p.errorCode()));
        assertEquals(Map.of(0, Errors.NONE.code(), 1, Errors.LOG_DIR_NOT_FOUND.code()), errors, "per partition");
    }

    private static AlterReplicaLogDir dir(String path, int partition) {
        AlterReplicaLogDirTopicCollection topics = new AlterReplicaLogDirTopicCollection();
        topics.add(new AlterReplicaLogDirTopic().setName(Fixture.TOPIC).setPartitions(List.of(partition)));
        return new AlterReplicaLogDir().setPath(path).setTopics(topics);
    }
}
