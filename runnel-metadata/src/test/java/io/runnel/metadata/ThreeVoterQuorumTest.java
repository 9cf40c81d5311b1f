package io.runnel.metadata;

import static io.runnel.metadata.QuorumTestSupport.get;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.common.errors.NotControllerException;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ThreeVoterQuorumTest {
    @TempDir
    Path dir;
    private final List<MetadataQuorum> quorums = new ArrayList<>();

    @AfterEach
    void closeAll() {
        quorums.forEach(MetadataQuorum::close);
    }

    private void startCluster() throws Exception {
        Map<Integer, InetSocketAddress> voters = new HashMap<>();
        for (int id = 1; id <= 3; id++) {
            voters.put(id, new InetSocketAddress("127.0.0.1", QuorumTestSupport.freePort()));
        }
        List<CompletableFuture<Void>> starts = new ArrayList<>();
        for (int id = 1; id <= 3; id++) {
            MetadataQuorum quorum = new MetadataQuorum(new QuorumConfig(id, QuorumTestSupport.CLUSTER_ID, voters,
                    dir.resolve("node" + id), 1, (short) 3, 1000));
            quorums.add(quorum);
            // Each start waits for a leader, which needs a majority: start them together.
            starts.add(CompletableFuture.runAsync(() -> {
                try {
                    quorum.start();
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }));
        }
        CompletableFuture.allOf(starts.toArray(CompletableFuture[]::new)).get(90, TimeUnit.SECONDS);
    }

    private static CountDownLatch awaitTopic(MetadataQuorum quorum, String topic) {
        CountDownLatch seen = new CountDownLatch(1);
        quorum.addListener((previous, current) -> {
            if (current.topicsByName().containsKey(topic)) {
                seen.countDown();
            }
        });
        return seen;
    }

    /** Creates {@code topic} through whichever of {@code candidates} leads, retrying while none does. */
    private static TopicResult createOnLeader(List<MetadataQuorum> candidates, String topic) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            for (MetadataQuorum q : candidates) {
                try {
                    return get(q.controller().createTopics(
                            List.of(new CreateTopicSpec(topic, 2, (short) -1, Map.of(), Map.of())), false)).get(0);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof NotControllerException)) {
                        throw e;
                    }
                }
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20)); // back off until an election ends
        }
        throw new AssertionError("No leader accepted the operation within 60 s");
    }

    @Test
    void followersApplyAndANewLeaderTakesOver() throws Exception {
        startCluster();
        List<MetadataQuorum> leaders = quorums.stream().filter(MetadataQuorum::isActiveController).toList();
        assertEquals(1, leaders.size());
        MetadataQuorum leader = leaders.get(0);
        for (int id = 1; id <= 3; id++) {
            get(leader.controller().registerBroker(new BrokerRegistration(id, List.of(), null, false)));
        }
        List<CountDownLatch> seenBefore = quorums.stream().map(q -> awaitTopic(q, "before")).toList();
        assertEquals(Errors.NONE, createOnLeader(List.of(leader), "before").error());
        for (CountDownLatch latch : seenBefore) {
            assertTrue(latch.await(30, TimeUnit.SECONDS), "every voter applies the entry");
        }

        leader.close();
        List<MetadataQuorum> survivors = quorums.stream().filter(q -> q != leader).toList();
        List<CountDownLatch> seenAfter = survivors.stream().map(q -> awaitTopic(q, "after")).toList();
        TopicResult after = createOnLeader(survivors, "after");

        assertEquals(Errors.NONE, after.error());
        assertEquals(3, after.replicationFactor());
        for (CountDownLatch latch : seenAfter) {
            assertTrue(latch.await(30, TimeUnit.SECONDS));
        }
        for (MetadataQuorum q : survivors) {
            assertTrue(q.image().topicsByName().containsKey("before"));
            assertEquals(survivors.get(0).image().topicsByName(), q.image().topicsByName());
        }
        assertFalse(leader.isActiveController());
    }
}
