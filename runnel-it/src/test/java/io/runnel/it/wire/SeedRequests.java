package io.runnel.it.wire;

import java.util.List;
import java.util.Optional;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.AlterConfigsRequestData;
import org.apache.kafka.common.message.ApiVersionsRequestData;
import org.apache.kafka.common.message.ConsumerGroupDescribeRequestData;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatRequestData;
import org.apache.kafka.common.message.CreatePartitionsRequestData;
import org.apache.kafka.common.message.CreateTopicsRequestData;
import org.apache.kafka.common.message.DeleteGroupsRequestData;
import org.apache.kafka.common.message.DeleteRecordsRequestData;
import org.apache.kafka.common.message.DeleteTopicsRequestData;
import org.apache.kafka.common.message.DescribeClusterRequestData;
import org.apache.kafka.common.message.DescribeConfigsRequestData;
import org.apache.kafka.common.message.DescribeGroupsRequestData;
import org.apache.kafka.common.message.DescribeProducersRequestData;
import org.apache.kafka.common.message.DescribeTopicPartitionsRequestData;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.FindCoordinatorRequestData;
import org.apache.kafka.common.message.HeartbeatRequestData;
import org.apache.kafka.common.message.IncrementalAlterConfigsRequestData;
import org.apache.kafka.common.message.InitProducerIdRequestData;
import org.apache.kafka.common.message.JoinGroupRequestData;
import org.apache.kafka.common.message.LeaveGroupRequestData;
import org.apache.kafka.common.message.ListGroupsRequestData;
import org.apache.kafka.common.message.ListOffsetsRequestData;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.message.OffsetCommitRequestData;
import org.apache.kafka.common.message.OffsetDeleteRequestData;
import org.apache.kafka.common.message.OffsetFetchRequestData;
import org.apache.kafka.common.message.OffsetForLeaderEpochRequestData;
import org.apache.kafka.common.message.SyncGroupRequestData;
import org.apache.kafka.common.message.WriteTxnMarkersRequestData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;

/**
 * A filled-in request body per API for the fuzzer's seeds: the real fields a client sets, naming the fuzzed topics
 * and groups. Requests that change state are validate-only where the API allows it, and the destructive ones (delete
 * topics or records, config changes) name the scratch topic, never the log whose acknowledged records are checked.
 * Fields a version lacks are left for the caller to drop by trying each version.
 */
final class SeedRequests {
    static final String GROUP = "fuzz-group";
    static final String CONSUMER_GROUP = "fuzz-consumer-group";
    /** A topic id no topic has: seeds are the same bytes in every run. */
    private static final Uuid ABSENT_TOPIC_ID = new Uuid(0x0123456789abcdefL, 0x0fedcba987654321L);
    private static final byte TOPIC_RESOURCE = 2;
    private static final byte BROKER_RESOURCE = 4;

    private final String logTopic;
    private final Uuid logTopicId;
    private final String scratchTopic;
    private final int nodeId;

    SeedRequests(String logTopic, Uuid logTopicId, String scratchTopic, int nodeId) {
        this.logTopic = logTopic;
        this.logTopicId = logTopicId;
        this.scratchTopic = scratchTopic;
        this.nodeId = nodeId;
    }

    /** The filled-in body of {@code key} at {@code version}, or empty where only the default body serves. */
    Optional<ApiMessage> body(ApiKeys key, short version) {
        return Optional.ofNullable(switch (key) {
            case API_VERSIONS -> new ApiVersionsRequestData().setClientSoftwareName("runnel-fuzz")
                    .setClientSoftwareVersion("1.0");
            case METADATA -> new MetadataRequestData().setAllowAutoTopicCreation(false)
                    .setIncludeTopicAuthorizedOperations(version >= 8 && version <= 10)
                    .setTopics(List.of(new MetadataRequestData.MetadataRequestTopic().setName(logTopic)
                            .setTopicId(version >= 10 ? logTopicId : Uuid.ZERO_UUID)));
            case FETCH -> fetch(version);
            case LIST_OFFSETS -> new ListOffsetsRequestData().setReplicaId(-1).setTopics(List.of(
                    new ListOffsetsRequestData.ListOffsetsTopic().setName(logTopic).setPartitions(List.of(
                            new ListOffsetsRequestData.ListOffsetsPartition().setPartitionIndex(0)
                                    .setTimestamp(-1L)))));
            case OFFSET_FOR_LEADER_EPOCH -> {
                OffsetForLeaderEpochRequestData.OffsetForLeaderTopicCollection topics =
                        new OffsetForLeaderEpochRequestData.OffsetForLeaderTopicCollection();
                topics.add(new OffsetForLeaderEpochRequestData.OffsetForLeaderTopic().setTopic(logTopic)
                        .setPartitions(List.of(new OffsetForLeaderEpochRequestData.OffsetForLeaderPartition()
                                .setPartition(0).setLeaderEpoch(0).setCurrentLeaderEpoch(version >= 2 ? 0 : -1))));
                yield new OffsetForLeaderEpochRequestData().setReplicaId(-1).setTopics(topics);
            }
            case FIND_COORDINATOR -> version >= 4
                    ? new FindCoordinatorRequestData().setKeyType((byte) 0).setCoordinatorKeys(List.of(GROUP))
                    : new FindCoordinatorRequestData().setKey(GROUP);
            case JOIN_GROUP -> new JoinGroupRequestData().setGroupId(GROUP).setSessionTimeoutMs(6_000)
                    .setRebalanceTimeoutMs(100).setMemberId("").setProtocolType("consumer")
                    .setProtocols(joinProtocols());
            case SYNC_GROUP -> new SyncGroupRequestData().setGroupId(GROUP).setGenerationId(1)
                    .setMemberId("fuzz-member").setProtocolType(version >= 5 ? "consumer" : null)
                    .setProtocolName(version >= 5 ? "range" : null)
                    .setAssignments(List.of(new SyncGroupRequestData.SyncGroupRequestAssignment()
                            .setMemberId("fuzz-member").setAssignment(new byte[] {0, 1, 0, 0, 0, 0})));
            case HEARTBEAT -> new HeartbeatRequestData().setGroupId(GROUP).setGenerationId(1).setMemberId("fuzz-member");
            case LEAVE_GROUP -> version >= 3
                    ? new LeaveGroupRequestData().setGroupId(GROUP).setMembers(List.of(
                            new LeaveGroupRequestData.MemberIdentity().setMemberId("fuzz-member")))
                    : new LeaveGroupRequestData().setGroupId(GROUP).setMemberId("fuzz-member");
            case OFFSET_COMMIT -> new OffsetCommitRequestData().setGroupId(GROUP).setGenerationIdOrMemberEpoch(-1)
                    .setMemberId("").setTopics(List.of(new OffsetCommitRequestData.OffsetCommitRequestTopic()
                            .setName(version >= 10 ? "" : logTopic).setTopicId(version >= 10 ? logTopicId : Uuid.ZERO_UUID)
                            .setPartitions(List.of(new OffsetCommitRequestData.OffsetCommitRequestPartition()
                                    .setPartitionIndex(0).setCommittedOffset(1).setCommittedMetadata("m")))));
            case OFFSET_FETCH -> offsetFetch(version);
            case OFFSET_DELETE -> {
                OffsetDeleteRequestData.OffsetDeleteRequestTopicCollection topics =
                        new OffsetDeleteRequestData.OffsetDeleteRequestTopicCollection();
                topics.add(new OffsetDeleteRequestData.OffsetDeleteRequestTopic().setName(logTopic).setPartitions(
                        List.of(new OffsetDeleteRequestData.OffsetDeleteRequestPartition().setPartitionIndex(0))));
                yield new OffsetDeleteRequestData().setGroupId(GROUP).setTopics(topics);
            }
            case DELETE_GROUPS -> new DeleteGroupsRequestData().setGroupsNames(List.of("fuzz-doomed-group"));
            case LIST_GROUPS -> new ListGroupsRequestData()
                    .setStatesFilter(version >= 4 ? List.of("Stable", "Empty") : List.of())
                    .setTypesFilter(version >= 5 ? List.of("classic", "consumer") : List.of());
            case DESCRIBE_GROUPS -> new DescribeGroupsRequestData().setGroups(List.of(GROUP, CONSUMER_GROUP))
                    .setIncludeAuthorizedOperations(version >= 3);
            case CONSUMER_GROUP_HEARTBEAT -> new ConsumerGroupHeartbeatRequestData().setGroupId(CONSUMER_GROUP)
                    .setMemberId("fuzz-member-uuid-000000").setMemberEpoch(0).setRebalanceTimeoutMs(1_000)
                    .setSubscribedTopicNames(List.of(logTopic)).setServerAssignor("uniform")
                    .setTopicPartitions(List.of());
            case CONSUMER_GROUP_DESCRIBE -> new ConsumerGroupDescribeRequestData()
                    .setGroupIds(List.of(CONSUMER_GROUP, GROUP)).setIncludeAuthorizedOperations(true);
            case INIT_PRODUCER_ID -> new InitProducerIdRequestData().setTransactionalId(null)
                    .setTransactionTimeoutMs(60_000).setProducerId(-1).setProducerEpoch((short) -1);
            case CREATE_TOPICS -> {
                CreateTopicsRequestData.CreatableTopicCollection topics = new CreateTopicsRequestData.CreatableTopicCollection();
                CreateTopicsRequestData.CreatableTopicConfigCollection configs =
                        new CreateTopicsRequestData.CreatableTopicConfigCollection();
                configs.add(new CreateTopicsRequestData.CreatableTopicConfig().setName("retention.ms").setValue("60000"));
                topics.add(new CreateTopicsRequestData.CreatableTopic().setName("fuzz-created").setNumPartitions(2)
                        .setReplicationFactor((short) 1).setConfigs(configs));
                yield new CreateTopicsRequestData().setTopics(topics).setTimeoutMs(10_000).setValidateOnly(version >= 1);
            }
            case DELETE_TOPICS -> version >= 6
                    ? new DeleteTopicsRequestData().setTimeoutMs(10_000).setTopics(List.of(
                            new DeleteTopicsRequestData.DeleteTopicState().setName(null).setTopicId(ABSENT_TOPIC_ID)))
                    : new DeleteTopicsRequestData().setTimeoutMs(10_000).setTopicNames(List.of("fuzz-absent"));
            case CREATE_PARTITIONS -> {
                CreatePartitionsRequestData.CreatePartitionsTopicCollection topics =
                        new CreatePartitionsRequestData.CreatePartitionsTopicCollection();
                topics.add(new CreatePartitionsRequestData.CreatePartitionsTopic().setName(scratchTopic).setCount(3)
                        .setAssignments(null));
                yield new CreatePartitionsRequestData().setTopics(topics).setTimeoutMs(10_000).setValidateOnly(true);
            }
            case DESCRIBE_CLUSTER -> new DescribeClusterRequestData().setIncludeClusterAuthorizedOperations(true);
            case DESCRIBE_TOPIC_PARTITIONS -> new DescribeTopicPartitionsRequestData().setResponsePartitionLimit(10)
                    .setTopics(List.of(new DescribeTopicPartitionsRequestData.TopicRequest().setName(logTopic),
                            new DescribeTopicPartitionsRequestData.TopicRequest().setName(scratchTopic)));
            case DESCRIBE_CONFIGS -> new DescribeConfigsRequestData().setIncludeSynonyms(version >= 1)
                    .setIncludeDocumentation(version >= 3).setResources(List.of(
                            new DescribeConfigsRequestData.DescribeConfigsResource().setResourceType(TOPIC_RESOURCE)
                                    .setResourceName(logTopic).setConfigurationKeys(null),
                            new DescribeConfigsRequestData.DescribeConfigsResource().setResourceType(BROKER_RESOURCE)
                                    .setResourceName(Integer.toString(nodeId))
                                    .setConfigurationKeys(List.of("log.retention.ms"))));
            case INCREMENTAL_ALTER_CONFIGS -> {
                IncrementalAlterConfigsRequestData.AlterableConfigCollection configs =
                        new IncrementalAlterConfigsRequestData.AlterableConfigCollection();
                configs.add(new IncrementalAlterConfigsRequestData.AlterableConfig().setName("retention.ms")
                        .setConfigOperation((byte) 0).setValue("86400000"));
                configs.add(new IncrementalAlterConfigsRequestData.AlterableConfig().setName("cleanup.policy")
                        .setConfigOperation((byte) 2).setValue("delete"));
                IncrementalAlterConfigsRequestData.AlterConfigsResourceCollection resources =
                        new IncrementalAlterConfigsRequestData.AlterConfigsResourceCollection();
                resources.add(new IncrementalAlterConfigsRequestData.AlterConfigsResource()
                        .setResourceType(TOPIC_RESOURCE).setResourceName(scratchTopic).setConfigs(configs));
                yield new IncrementalAlterConfigsRequestData().setResources(resources).setValidateOnly(true);
            }
            case ALTER_CONFIGS -> {
                AlterConfigsRequestData.AlterableConfigCollection configs = new AlterConfigsRequestData.AlterableConfigCollection();
                configs.add(new AlterConfigsRequestData.AlterableConfig().setName("retention.ms").setValue("86400000"));
                AlterConfigsRequestData.AlterConfigsResourceCollection resources =
                        new AlterConfigsRequestData.AlterConfigsResourceCollection();
                resources.add(new AlterConfigsRequestData.AlterConfigsResource().setResourceType(TOPIC_RESOURCE)
                        .setResourceName(scratchTopic).setConfigs(configs));
                yield new AlterConfigsRequestData().setResources(resources).setValidateOnly(true);
            }
            case DELETE_RECORDS -> new DeleteRecordsRequestData().setTimeoutMs(10_000).setTopics(List.of(
                    new DeleteRecordsRequestData.DeleteRecordsTopic().setName(scratchTopic).setPartitions(List.of(
                            new DeleteRecordsRequestData.DeleteRecordsPartition().setPartitionIndex(0).setOffset(0)))));
            case WRITE_TXN_MARKERS -> new WriteTxnMarkersRequestData().setMarkers(List.of(
                    new WriteTxnMarkersRequestData.WritableTxnMarker().setProducerId(1).setProducerEpoch((short) 0)
                            .setTransactionResult(false).setCoordinatorEpoch(0).setTopics(List.of(
                                    new WriteTxnMarkersRequestData.WritableTxnMarkerTopic().setName(scratchTopic)
                                            .setPartitionIndexes(List.of(0))))));
            case DESCRIBE_PRODUCERS -> {
                DescribeProducersRequestData.TopicRequestCollection topics =
                        new DescribeProducersRequestData.TopicRequestCollection();
                topics.add(new DescribeProducersRequestData.TopicRequest().setName(logTopic)
                        .setPartitionIndexes(List.of(0)));
                yield new DescribeProducersRequestData().setTopics(topics);
            }
            default -> null;
        });
    }

    private FetchRequestData fetch(short version) {
        FetchRequestData.FetchTopic topic = new FetchRequestData.FetchTopic()
                .setTopic(version >= 13 ? "" : logTopic).setTopicId(version >= 13 ? logTopicId : Uuid.ZERO_UUID)
                .setPartitions(List.of(new FetchRequestData.FetchPartition().setPartition(0).setFetchOffset(0)
                        .setCurrentLeaderEpoch(version >= 9 ? 0 : -1).setLogStartOffset(version >= 5 ? 0 : -1)
                        .setPartitionMaxBytes(65_536)));
        // No wait and no minimum: a mutated frame never parks for long on the broker.
        return new FetchRequestData().setMaxWaitMs(0).setMinBytes(0)
                .setMaxBytes(1 << 20).setIsolationLevel((byte) 0).setSessionId(0).setSessionEpoch(-1)
                .setTopics(List.of(topic)).setForgottenTopicsData(List.of()).setRackId("");
    }

    private OffsetFetchRequestData offsetFetch(short version) {
        if (version >= 8) {
            return new OffsetFetchRequestData().setRequireStable(true).setGroups(List.of(
                    new OffsetFetchRequestData.OffsetFetchRequestGroup().setGroupId(GROUP).setTopics(List.of(
                            new OffsetFetchRequestData.OffsetFetchRequestTopics()
                                    .setName(version >= 10 ? "" : logTopic)
                                    .setTopicId(version >= 10 ? logTopicId : Uuid.ZERO_UUID)
                                    .setPartitionIndexes(List.of(0))))));
        }
        return new OffsetFetchRequestData().setGroupId(GROUP).setRequireStable(version >= 7).setTopics(List.of(
                new OffsetFetchRequestData.OffsetFetchRequestTopic().setName(logTopic).setPartitionIndexes(List.of(0))));
    }

    private static JoinGroupRequestData.JoinGroupRequestProtocolCollection joinProtocols() {
        JoinGroupRequestData.JoinGroupRequestProtocolCollection protocols =
                new JoinGroupRequestData.JoinGroupRequestProtocolCollection();
        protocols.add(new JoinGroupRequestData.JoinGroupRequestProtocol().setName("range")
                .setMetadata(new byte[] {0, 1, 0, 0, 0, 1, 0, 8, 'f', 'u', 'z', 'z', '-', 'l', 'o', 'g', -1, -1, -1, -1}));
        return protocols;
    }
}
