package io.runnel.it.conformance;

import java.util.List;

/** One scenario per API the broker serves; an advertised API missing here fails the conformance suite. */
final class Scenarios {
    static final List<ApiScenario> ALL = List.of(
            new ApiVersionsScenario(),
            new ProduceScenario(),
            new FetchScenario(),
            new ListOffsetsScenario(),
            new MetadataScenario(),
            new OffsetForLeaderEpochScenario(),
            new DeleteRecordsScenario(),
            new DescribeTopicPartitionsScenario(),
            new DescribeClusterScenario(),
            new CreateTopicsScenario(),
            new DeleteTopicsScenario(),
            new CreatePartitionsScenario(),
            new ElectLeadersScenario(),
            new PartitionReassignmentsScenarios.Alter(),
            new PartitionReassignmentsScenarios.ListOngoing(),
            new UnregisterBrokerScenario(),
            new DescribeConfigsScenario(),
            new AlterConfigsScenario(),
            new IncrementalAlterConfigsScenario(),
            new InitProducerIdScenario(),
            new FindCoordinatorScenario(),
            new AddPartitionsToTxnScenario(),
            new AddOffsetsToTxnScenario(),
            new TxnOffsetCommitScenario(),
            new EndTxnScenario(),
            new DescribeTransactionsScenario(),
            new ListTransactionsScenario(),
            new JoinGroupScenario(),
            new SyncGroupScenario(),
            new HeartbeatScenario(),
            new LeaveGroupScenario(),
            new OffsetCommitScenario(),
            new OffsetFetchScenario(),
            new OffsetDeleteScenario(),
            new DescribeGroupsScenario(),
            new ListGroupsScenario(),
            new DeleteGroupsScenario(),
            new ConsumerGroupHeartbeatScenario(),
            new ConsumerGroupDescribeScenario(),
            new DescribeQuorumScenario(),
            new RaftVoterScenarios.Add(),
            new RaftVoterScenarios.Remove(),
            new WriteTxnMarkersScenario(),
            new DescribeProducersScenario(),
            new SaslOnPlaintextScenarios.Handshake(),
            new SaslOnPlaintextScenarios.Authenticate(),
            new ScramCredentialsScenarios.Alter(),
            new ScramCredentialsScenarios.Describe(),
            new ClientQuotasScenarios.Alter(),
            new ClientQuotasScenarios.Describe(),
            new AclScenarios.Describe(),
            new AclScenarios.Create(),
            new AclScenarios.Delete());

    private Scenarios() {
    }
}
