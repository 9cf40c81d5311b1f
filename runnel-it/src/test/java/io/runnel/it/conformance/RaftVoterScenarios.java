package io.runnel.it.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.QuorumInfo;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.AddRaftVoterRequestData;
import org.apache.kafka.common.message.AddRaftVoterResponseData;
import org.apache.kafka.common.message.RemoveRaftVoterRequestData;
import org.apache.kafka.common.message.RemoveRaftVoterResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;

/**
 * AddRaftVoter and RemoveRaftVoter on the lone voter: every refusal with its error code, the quorum unchanged
 * (a change that applies is shown on three nodes by MetadataQuorumChangesTest).
 */
final class RaftVoterScenarios {
    private static final int NOT_IN_THE_QUORUM = 77;

    private RaftVoterScenarios() {
    }

    /** Adding the voter itself, or a node that does not follow the log (it registered no directory); another cluster's id. */
    static final class Add implements ApiScenario {
        @Override
        public ApiKeys api() {
            return ApiKeys.ADD_RAFT_VOTER;
        }

        @Override
        public void run(Exchange x) throws Exception {
            Fixture f = x.fixture();
            assertEquals(Errors.DUPLICATE_VOTER.code(), x.<AddRaftVoterResponseData>send(add(f.nodeId(), f.clusterId(),
                    5_000)).errorCode(), "the voter itself");
            assertEquals(Errors.REQUEST_TIMED_OUT.code(), x.<AddRaftVoterResponseData>send(add(NOT_IN_THE_QUORUM,
                    f.clusterId(), 500)).errorCode(), "a node that does not follow the log");
            assertEquals(Errors.INCONSISTENT_CLUSTER_ID.code(), x.<AddRaftVoterResponseData>send(add(NOT_IN_THE_QUORUM,
                    Uuid.randomUuid().toString(), 5_000)).errorCode(), "another cluster's id");
            assertEquals(Set.of(f.nodeId()), voters(f), "the voters");
        }

        private static AddRaftVoterRequestData add(int voterId, String clusterId, int timeoutMs) {
            AddRaftVoterRequestData.ListenerCollection listeners = new AddRaftVoterRequestData.ListenerCollection();
            listeners.add(new AddRaftVoterRequestData.Listener().setName("CONTROLLER").setHost("127.0.0.1").setPort(1));
            return new AddRaftVoterRequestData().setClusterId(clusterId).setTimeoutMs(timeoutMs).setVoterId(voterId)
                    .setVoterDirectoryId(Uuid.randomUuid()).setListeners(listeners);
        }
    }

    /** Removing a node that is no voter, the voter named with another directory id, or the only voter. */
    static final class Remove implements ApiScenario {
        @Override
        public ApiKeys api() {
            return ApiKeys.REMOVE_RAFT_VOTER;
        }

        @Override
        public void run(Exchange x) throws Exception {
            Fixture f = x.fixture();
            assertEquals(Errors.VOTER_NOT_FOUND.code(), x.<RemoveRaftVoterResponseData>send(remove(NOT_IN_THE_QUORUM,
                    Uuid.randomUuid(), f.clusterId())).errorCode(), "a node that is no voter");
            assertEquals(Errors.VOTER_NOT_FOUND.code(), x.<RemoveRaftVoterResponseData>send(remove(f.nodeId(),
                    Uuid.randomUuid(), f.clusterId())).errorCode(), "the voter's id with another directory id");
            assertEquals(Errors.INVALID_REQUEST.code(), x.<RemoveRaftVoterResponseData>send(remove(f.nodeId(),
                    f.directoryId(), f.clusterId())).errorCode(), "the only voter");
            assertEquals(Set.of(f.nodeId()), voters(f), "the voters");
        }

        private static RemoveRaftVoterRequestData remove(int voterId, Uuid directoryId, String clusterId) {
            return new RemoveRaftVoterRequestData().setClusterId(clusterId).setVoterId(voterId)
                    .setVoterDirectoryId(directoryId);
        }
    }

    private static Set<Integer> voters(Fixture f) throws Exception {
        return f.admin().describeMetadataQuorum().quorumInfo().get().voters().stream()
                .map(QuorumInfo.ReplicaState::replicaId).collect(Collectors.toSet());
    }
}
