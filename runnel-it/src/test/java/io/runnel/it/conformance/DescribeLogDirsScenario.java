package io.runnel.it.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.apache.kafka.common.message.DescribeLogDirsRequestData;
import org.apache.kafka.common.message.DescribeLogDirsRequestData.DescribableLogDirTopic;
import org.apache.kafka.common.message.DescribeLogDirsRequestData.DescribableLogDirTopicCollection;
import org.apache.kafka.common.message.DescribeLogDirsResponseData;
import org.apache.kafka.common.message.DescribeLogDirsResponseData.DescribeLogDirsPartition;
import org.apache.kafka.common.message.DescribeLogDirsResponseData.DescribeLogDirsResult;
import org.apache.kafka.common.message.DescribeLogDirsResponseData.DescribeLogDirsTopic;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;

/**
 * DescribeLogDirs of the fixture's one log dir: asked for both partitions of the records topic and one that does not
 * exist, it lists the two with their sizes (partition 0 holds more records), no offset lag, no future replica; asked
 * for every topic (null), it lists the other topics too. From v4 the dir's total and usable bytes, before that the
 * field's default.
 */
final class DescribeLogDirsScenario implements ApiScenario {
    private static final short FIRST_WITH_SPACE = 4;

    @Override
    public ApiKeys api() {
        return ApiKeys.DESCRIBE_LOG_DIRS;
    }

    @Override
    public void run(Exchange x) throws Exception {
        DescribableLogDirTopicCollection topics = new DescribableLogDirTopicCollection();
        topics.add(new DescribableLogDirTopic().setTopic(Fixture.TOPIC).setPartitions(List.of(0, 1, 7)));
        DescribeLogDirsResult dir = onlyDir(x, x.send(new DescribeLogDirsRequestData().setTopics(topics)));
        assertEquals(1, dir.topics().size(), "only the topic asked for: " + dir.topics());
        DescribeLogDirsTopic topic = dir.topics().get(0);
        assertEquals(Fixture.TOPIC, topic.name(), "topic");
        assertEquals(List.of(0, 1), topic.partitions().stream().map(DescribeLogDirsPartition::partitionIndex).toList(),
                "the partitions that exist");
        DescribeLogDirsPartition p0 = topic.partitions().get(0);
        DescribeLogDirsPartition p1 = topic.partitions().get(1);
        assertTrue(p0.partitionSize() > p1.partitionSize() && p1.partitionSize() > 0,
                "sizes follow the records held: " + topic);
        for (DescribeLogDirsPartition p : topic.partitions()) {
            assertEquals(0, p.offsetLag(), "offset lag");
            assertFalse(p.isFutureKey(), "future replica");
        }
        if (x.version() >= FIRST_WITH_SPACE) {
            assertTrue(dir.totalBytes() > 0 && dir.usableBytes() >= 0 && dir.usableBytes() <= dir.totalBytes(),
                    "total and usable bytes: " + dir);
        } else {
            assertEquals(-1, dir.totalBytes(), "no total bytes before v4");
        }

        DescribeLogDirsResult all = onlyDir(x, x.send(new DescribeLogDirsRequestData().setTopics(null)));
        List<String> names = all.topics().stream().map(DescribeLogDirsTopic::name).toList();
        if (x.atLeast(5)) {
            assertFalse(dir.isCordoned(), "no cordoned dirs");
        }
        assertTrue(names.containsAll(List.of(Fixture.TOPIC, Fixture.PRODUCE_TOPIC, Fixture.TRIM_TOPIC)),
                "every topic: " + names);
    }

    private static DescribeLogDirsResult onlyDir(Exchange x, DescribeLogDirsResponseData response) {
        assertEquals(Errors.NONE.code(), response.errorCode(), "error");
        assertEquals(1, response.results().size(), "one log dir: " + response);
        DescribeLogDirsResult dir = response.results().get(0);
        assertEquals(Errors.NONE.code(), dir.errorCode(), "dir error");
        assertEquals(x.fixture().logDir().toAbsolutePath().toString(), dir.logDir(), "path");
        return dir;
    }
}
