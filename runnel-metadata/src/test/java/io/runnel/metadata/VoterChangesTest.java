package io.runnel.metadata;

import static io.runnel.metadata.QuorumTestSupport.get;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import io.runnel.metadata.quorum.QuorumVotersFile;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.DuplicateVoterException;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.VoterNotFoundException;
import org.apache.kafka.common.message.DescribeQuorumResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** AddRaftVoter and RemoveRaftVoter on a running quorum: who votes afterwards, and what a removed voter does. */
class VoterChangesTest {
    private static final long TIMEOUT_MS = 30_000;

    @TempDir
    Path dir;
    private final List<MetadataQuorum> quorums = new ArrayList<>();

    @AfterEach
    void closeAll() {
        quorums.forEach(MetadataQuorum::close);
    }

    @Test
    void anAddedVoterCountsInTheMajorityAndARemovedOneFollowsTheLogOnceRestarted() throws Exception {
        List<QuorumConfig> configs = new ArrayList<>();
        quorums.addAll(QuorumTestSupport.startThreeVoters(dir, 1, configs));
        MetadataQuorum newcomer = quorums.get(3);
        Map<Integer, Uuid> directories = new TreeMap<>();
        for (int id = 1; id <= 4; id++) {
            directories.put(id, Uuid.randomUuid());
            get(quorums.get(id - 1).registerDirectory(directories.get(id)));
        }
        for (int id = 1; id <= 3; id++) {
            BrokerRegistrations.registerUnfenced(quorums.get(0).controller(), QuorumTestSupport.CLUSTER_ID, id, null);
        }
        awaitDirectories(quorums.get(1), directories);
        assertEquals(directories, describedDirectories(newcomer), "the voters' and the observer's directories");
        assertInstanceOf(DuplicateVoterException.class, failure(quorums.get(1).addVoter(1, directories.get(1),
                quorums.get(0).voters().get(1), TIMEOUT_MS)));
        assertInstanceOf(VoterNotFoundException.class, failure(quorums.get(1).removeVoter(4, directories.get(4),
                TIMEOUT_MS)));
        assertInstanceOf(VoterNotFoundException.class, failure(quorums.get(1).removeVoter(2, Uuid.randomUuid(),
                TIMEOUT_MS)), "a voter is its node id and directory id");
        assertEquals(Set.of(1, 2, 3), newcomer.voters().keySet());

        InetSocketAddress followsAt = configs.get(3).observerAddress();
        assertInstanceOf(TimeoutException.class, failure(quorums.get(1).addVoter(4, Uuid.randomUuid(), followsAt,
                TIMEOUT_MS)), "node 4 follows the log from another directory");
        assertInstanceOf(InvalidRequestException.class, failure(quorums.get(1).addVoter(4, directories.get(4),
                InetSocketAddress.createUnresolved(followsAt.getHostString(), followsAt.getPort() + 1),
                TIMEOUT_MS)), "a voter address node 4 does not listen on");
        // Added through a voter that may not lead, at the address node 4 follows the log on.
        get(quorums.get(1).addVoter(4, directories.get(4), followsAt, TIMEOUT_MS));
        for (MetadataQuorum member : quorums) {
            assertEquals(Set.of(1, 2, 3, 4), member.voters().keySet(), "as every member's configuration has it");
        }
        assertEquals(Set.of(1, 2, 3, 4), ids(described(newcomer).currentVoters()));
        assertEquals(directories, describedDirectories(newcomer));
        for (QuorumConfig config : configs) {
            awaitRecordedVoters(config, Set.of(1, 2, 3, 4));
        }
        assertEquals(Set.of(), ids(described(newcomer).observers()));

        // The leader itself steps down from voting, and restarts as a listener (as Ratis starts it from its log).
        int removedId = quorums.indexOf(quorums.stream().filter(MetadataQuorum::isActiveController).findFirst()
                .orElseThrow()) + 1;
        get(newcomer.removeVoter(removedId, directories.get(removedId), TIMEOUT_MS));
        Set<Integer> remaining = new TreeSet<>(Set.of(1, 2, 3, 4));
        remaining.remove(removedId);
        assertEquals(remaining, newcomer.voters().keySet());
        awaitObservers(newcomer, Set.of(removedId));
        awaitRecordedVoters(configs.get(removedId - 1), remaining);
        quorums.get(removedId - 1).close();
        MetadataQuorum removed = new MetadataQuorum(configs.get(removedId - 1));
        quorums.set(removedId - 1, removed);
        removed.start();
        awaitObservers(newcomer, Set.of(removedId));

        // Two of the three voters left run: a majority only because node 4 now votes.
        MetadataQuorum stopped = quorums.get(remaining.stream().filter(id -> id != 4).findFirst().orElseThrow() - 1);
        stopped.close();
        CountDownLatch seenByRemoved = ThreeVoterQuorumTest.awaitTopic(removed, "after-changes");
        assertEquals(Errors.NONE, ThreeVoterQuorumTest.create(newcomer, "after-changes").error());
        assertTrue(seenByRemoved.await(30, TimeUnit.SECONDS), "the removed voter follows the log as a listener");
        assertFalse(removed.isActiveController());
    }

    /** Each member rewrites its voters file once it applies a configuration, off the apply thread. */
    private static void awaitRecordedVoters(QuorumConfig config, Set<Integer> expected) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(TIMEOUT_MS);
        Set<Integer> recorded = recordedVoters(config);
        while (!recorded.equals(expected) && System.nanoTime() < deadline) {
            Thread.sleep(50);
            recorded = recordedVoters(config);
        }
        assertEquals(expected, recorded, "the voters node " + config.nodeId() + " recorded in its metadata dir");
    }

    private static Set<Integer> recordedVoters(QuorumConfig config) throws IOException {
        return QuorumVotersFile.read(config.metadataDir()).map(Map::keySet).orElse(Set.of());
    }

    /** A member applies the registrations the leader committed shortly after. */
    private static void awaitDirectories(MetadataQuorum member, Map<Integer, Uuid> expected) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(TIMEOUT_MS);
        while (!member.image().quorumDirectories().equals(expected) && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertEquals(expected, member.image().quorumDirectories());
    }

    /** The directory id DescribeQuorum gives each voter and observer. */
    private static Map<Integer, Uuid> describedDirectories(MetadataQuorum member) throws Exception {
        DescribeQuorumResponseData.PartitionData partition = described(member);
        Map<Integer, Uuid> directories = new TreeMap<>();
        partition.currentVoters().forEach(r -> directories.put(r.replicaId(), r.replicaDirectoryId()));
        partition.observers().forEach(r -> directories.put(r.replicaId(), r.replicaDirectoryId()));
        return directories;
    }

    /** The new leader hears from a listener at its next exchange with it. */
    private static void awaitObservers(MetadataQuorum member, Set<Integer> expected) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(TIMEOUT_MS);
        Set<Integer> observers = ids(described(member).observers());
        while (!observers.equals(expected) && System.nanoTime() < deadline) {
            Thread.sleep(100);
            observers = ids(described(member).observers());
        }
        assertEquals(expected, observers, "the observers");
    }

    private static DescribeQuorumResponseData.PartitionData described(MetadataQuorum member) throws Exception {
        return get(member.describeQuorum()).topics().get(0).partitions().get(0);
    }

    private static Set<Integer> ids(List<DescribeQuorumResponseData.ReplicaState> replicas) {
        return replicas.stream().map(DescribeQuorumResponseData.ReplicaState::replicaId).collect(Collectors.toSet());
    }

    private static Throwable failure(CompletableFuture<Void> change) {
        ExecutionException e = assertThrows(ExecutionException.class, () -> change.get(TIMEOUT_MS, TimeUnit.MILLISECONDS));
        return e.getCause();
    }
}
