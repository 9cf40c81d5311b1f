package io.runnel.metadata.quorum;

import static io.runnel.metadata.record.MetadataRecordSerde.readInts;
import static io.runnel.metadata.record.MetadataRecordSerde.readString;
import static io.runnel.metadata.record.MetadataRecordSerde.readUuid;
import static io.runnel.metadata.record.MetadataRecordSerde.writeInts;
import static io.runnel.metadata.record.MetadataRecordSerde.writeString;
import static io.runnel.metadata.record.MetadataRecordSerde.writeUuid;

import io.runnel.metadata.AclResult;
import io.runnel.metadata.ConfigChange;
import io.runnel.metadata.ConfigResult;
import io.runnel.metadata.Controller;
import io.runnel.metadata.CreatePartitionsSpec;
import io.runnel.metadata.CreateTopicSpec;
import io.runnel.metadata.ScramCredentialResult;
import io.runnel.metadata.TopicResult;
import io.runnel.metadata.controller.QuorumController;
import io.runnel.metadata.record.ScramCredentialRecord;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInput;
import java.io.DataInputStream;
import java.io.DataOutput;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AccessControlEntryFilter;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.message.AlterClientQuotasRequestData;
import org.apache.kafka.common.message.AlterClientQuotasResponseData;
import org.apache.kafka.common.message.AlterPartitionReassignmentsRequestData;
import org.apache.kafka.common.message.AlterPartitionReassignmentsResponseData;
import org.apache.kafka.common.message.AlterPartitionRequestData;
import org.apache.kafka.common.message.AssignReplicasToDirsRequestData;
import org.apache.kafka.common.message.AssignReplicasToDirsResponseData;
import org.apache.kafka.common.message.AlterPartitionResponseData;
import org.apache.kafka.common.message.BrokerHeartbeatRequestData;
import org.apache.kafka.common.message.BrokerHeartbeatResponseData;
import org.apache.kafka.common.message.BrokerRegistrationRequestData;
import org.apache.kafka.common.message.BrokerRegistrationResponseData;
import org.apache.kafka.common.message.DescribeQuorumResponseData;
import org.apache.kafka.common.message.ElectLeadersRequestData;
import org.apache.kafka.common.message.ElectLeadersResponseData;
import org.apache.kafka.common.message.ListPartitionReassignmentsRequestData;
import org.apache.kafka.common.message.ListPartitionReassignmentsResponseData;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.protocol.MessageUtil;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourcePatternFilter;
import org.apache.kafka.common.resource.ResourceType;

/**
 * The binary form of a {@link Controller} call forwarded to the active controller, and of its answer. A call is
 * an operation byte and its arguments; the answer is 0 and the result, or 1, a Kafka error code and a message.
 * Kafka's own messages travel at their highest version, which every node of one build shares.
 */
final class ControllerMessages {
    private static final byte REGISTER_BROKER = 1;
    private static final byte BROKER_HEARTBEAT = 2;
    private static final byte ALTER_PARTITION = 3;
    private static final byte CREATE_TOPICS = 4;
    private static final byte DELETE_TOPICS = 5;
    private static final byte CREATE_PARTITIONS = 6;
    private static final byte INCREMENTAL_ALTER_CONFIGS = 7;
    private static final byte REPLACE_CONFIGS = 8;
    private static final byte ALLOCATE_PRODUCER_IDS = 9;
    private static final byte DESCRIBE_QUORUM = 10;
    private static final byte ALTER_SCRAM_CREDENTIALS = 11;
    private static final byte ELECT_LEADERS = 12;
    private static final byte UNREGISTER_BROKER = 13;
    private static final byte CREATE_ACLS = 14;
    private static final byte DELETE_ACLS = 15;
    private static final byte ALTER_PARTITION_REASSIGNMENTS = 16;
    private static final byte LIST_PARTITION_REASSIGNMENTS = 17;
    private static final byte ALTER_CLIENT_QUOTAS = 18;
    private static final byte ASSIGN_REPLICAS_TO_DIRS = 19;
    private static final byte REGISTER_QUORUM_MEMBER = 20;
    private static final byte UNKNOWN_OPERATION = -1;

    private interface Writer<T> {
        void write(DataOutput out, T value) throws IOException;
    }

    private interface Reader<T> {
        T read(DataInput in) throws IOException;
    }

    /** A call ready to send: its bytes and how to read its answer's result. */
    record Call<T>(byte[] bytes, Reader<T> result) {
        T decodeAnswer(ByteBuffer answer) {
            try {
                DataInput in = new DataInputStream(new ByteArrayInputStream(answer.array(),
                        answer.arrayOffset() + answer.position(), answer.remaining()));
                if (in.readByte() == 0) {
                    return result.read(in);
                }
                Errors error = Errors.forCode(in.readShort());
                throw new CompletionException(error.exception(readString(in)));
            } catch (IOException e) {
                throw new UncheckedIOException("Undecodable answer from the active controller", e);
            }
        }
    }

    private ControllerMessages() {
    }

    static Call<BrokerRegistrationResponseData> registerBroker(BrokerRegistrationRequestData r) {
        return call(REGISTER_BROKER, out -> writeMessage(out, r), in -> readMessage(in, BrokerRegistrationResponseData::new));
    }

    static Call<BrokerHeartbeatResponseData> brokerHeartbeat(BrokerHeartbeatRequestData r) {
        return call(BROKER_HEARTBEAT, out -> writeMessage(out, r), in -> readMessage(in, BrokerHeartbeatResponseData::new));
    }

    static Call<AssignReplicasToDirsResponseData> assignReplicasToDirs(AssignReplicasToDirsRequestData r) {
        return call(ASSIGN_REPLICAS_TO_DIRS, out -> writeMessage(out, r),
                in -> readMessage(in, AssignReplicasToDirsResponseData::new));
    }

    static Call<AlterPartitionResponseData> alterPartition(AlterPartitionRequestData r) {
        return call(ALTER_PARTITION, out -> writeMessage(out, r), in -> readMessage(in, AlterPartitionResponseData::new));
    }

    static Call<ElectLeadersResponseData> electLeaders(ElectLeadersRequestData r) {
        return call(ELECT_LEADERS, out -> writeMessage(out, r), in -> readMessage(in, ElectLeadersResponseData::new));
    }

    static Call<AlterPartitionReassignmentsResponseData> alterPartitionReassignments(
            AlterPartitionReassignmentsRequestData r) {
        return call(ALTER_PARTITION_REASSIGNMENTS, out -> writeMessage(out, r),
                in -> readMessage(in, AlterPartitionReassignmentsResponseData::new));
    }

    static Call<ListPartitionReassignmentsResponseData> listPartitionReassignments(
            ListPartitionReassignmentsRequestData r) {
        return call(LIST_PARTITION_REASSIGNMENTS, out -> writeMessage(out, r),
                in -> readMessage(in, ListPartitionReassignmentsResponseData::new));
    }

    static Call<Void> registerQuorumMember(int nodeId, Uuid directoryId) {
        return call(REGISTER_QUORUM_MEMBER, out -> {
            out.writeInt(nodeId);
            writeUuid(out, directoryId);
        }, in -> null);
    }

    static Call<Void> unregisterBroker(int brokerId) {
        return call(UNREGISTER_BROKER, out -> out.writeInt(brokerId), in -> null);
    }

    static Call<List<TopicResult>> createTopics(List<CreateTopicSpec> specs, boolean validateOnly) {
        return call(CREATE_TOPICS, out -> {
            out.writeBoolean(validateOnly);
            writeList(out, specs, ControllerMessages::writeTopicSpec);
        }, ControllerMessages::readTopicResults);
    }

    static Call<List<TopicResult>> deleteTopics(List<String> names, List<Uuid> ids) {
        return call(DELETE_TOPICS, out -> {
            writeList(out, names, (o, n) -> writeString(o, n));
            writeList(out, ids, (o, id) -> writeUuid(o, id));
        }, ControllerMessages::readTopicResults);
    }

    static Call<List<TopicResult>> createPartitions(List<CreatePartitionsSpec> specs, boolean validateOnly) {
        return call(CREATE_PARTITIONS, out -> {
            out.writeBoolean(validateOnly);
            writeList(out, specs, ControllerMessages::writePartitionsSpec);
        }, ControllerMessages::readTopicResults);
    }

    static Call<List<ConfigResult>> incrementalAlterConfigs(Map<ConfigResource, List<ConfigChange>> changes,
                                                            boolean validateOnly) {
        return call(INCREMENTAL_ALTER_CONFIGS, out -> {
            out.writeBoolean(validateOnly);
            writeMap(out, changes, ControllerMessages::writeResource,
                    (o, list) -> writeList(o, list, ControllerMessages::writeChange));
        }, ControllerMessages::readConfigResults);
    }

    static Call<List<ConfigResult>> replaceConfigs(Map<ConfigResource, Map<String, String>> configs,
                                                   boolean validateOnly) {
        return call(REPLACE_CONFIGS, out -> {
            out.writeBoolean(validateOnly);
            writeMap(out, configs, ControllerMessages::writeResource, ControllerMessages::writeStrings);
        }, ControllerMessages::readConfigResults);
    }

    static Call<Long> allocateProducerIds(int brokerId, int count) {
        return call(ALLOCATE_PRODUCER_IDS, out -> {
            out.writeInt(brokerId);
            out.writeInt(count);
        }, DataInput::readLong);
    }

    static Call<List<ScramCredentialResult>> alterScramCredentials(List<ScramCredentialRecord> changes) {
        return call(ALTER_SCRAM_CREDENTIALS, out -> writeList(out, changes, (o, c) -> {
            writeString(o, c.user());
            writeString(o, c.mechanism());
            writeString(o, c.credential());
        }), in -> readList(in, d -> new ScramCredentialResult(readString(d), readString(d),
                Errors.forCode(d.readShort()), readString(d))));
    }

    static Call<AlterClientQuotasResponseData> alterClientQuotas(AlterClientQuotasRequestData r) {
        return call(ALTER_CLIENT_QUOTAS, out -> writeMessage(out, r),
                in -> readMessage(in, AlterClientQuotasResponseData::new));
    }

    static Call<List<AclResult>> createAcls(List<AclBinding> bindings) {
        return call(CREATE_ACLS, out -> writeList(out, bindings, ControllerMessages::writeAcl),
                ControllerMessages::readAclResults);
    }

    static Call<List<AclResult>> deleteAcls(List<AclBindingFilter> filters) {
        return call(DELETE_ACLS, out -> writeList(out, filters, ControllerMessages::writeAclFilter),
                ControllerMessages::readAclResults);
    }

    static Call<DescribeQuorumResponseData> describeQuorum() {
        return call(DESCRIBE_QUORUM, out -> { }, in -> readMessage(in, DescribeQuorumResponseData::new));
    }

    /** A forwarded request: the id it keeps across retries and the call. */
    record Request(UUID id, ByteBuffer call) {
    }

    /** The bytes of request {@code id} making {@code call}. */
    static byte[] request(UUID id, Call<?> call) {
        return ByteBuffer.allocate(16 + call.bytes().length).putLong(id.getMostSignificantBits())
                .putLong(id.getLeastSignificantBits()).put(call.bytes()).array();
    }

    /** Reads a request's id and call; fails with {@code IllegalArgumentException} when it is too short. */
    static Request parseRequest(ByteBuffer bytes) {
        if (bytes.remaining() < 17) {
            throw new IllegalArgumentException("A controller request of " + bytes.remaining() + " bytes");
        }
        ByteBuffer in = bytes.duplicate();
        UUID id = new UUID(in.getLong(), in.getLong());
        return new Request(id, in.slice());
    }

    /**
     * Runs {@code call} on {@code controller} as request {@code requestId} and encodes the answer; the entry its
     * records are written in remembers the request id with that answer.
     */
    static CompletableFuture<byte[]> serve(UUID requestId, ByteBuffer call, QuorumController controller,
                                           Supplier<DescribeQuorumResponseData> quorum) {
        DataInput in = new DataInputStream(new ByteArrayInputStream(call.array(), call.arrayOffset() + call.position(),
                call.remaining()));
        try {
            byte op = in.readByte();
            switch (op) {
                case REGISTER_BROKER: {
                    BrokerRegistrationRequestData request = readMessage(in, BrokerRegistrationRequestData::new);
                    return answer(controller, requestId, () -> controller.registerBroker(request),
                            ControllerMessages::writeMessage);
                }
                case BROKER_HEARTBEAT: {
                    BrokerHeartbeatRequestData request = readMessage(in, BrokerHeartbeatRequestData::new);
                    return answer(controller, requestId, () -> controller.brokerHeartbeat(request),
                            ControllerMessages::writeMessage);
                }
                case ASSIGN_REPLICAS_TO_DIRS: {
                    AssignReplicasToDirsRequestData request = readMessage(in, AssignReplicasToDirsRequestData::new);
                    return answer(controller, requestId, () -> controller.assignReplicasToDirs(request),
                            ControllerMessages::writeMessage);
                }
                case ALTER_PARTITION: {
                    AlterPartitionRequestData request = readMessage(in, AlterPartitionRequestData::new);
                    return answer(controller, requestId, () -> controller.alterPartition(request),
                            ControllerMessages::writeMessage);
                }
                case ELECT_LEADERS: {
                    ElectLeadersRequestData request = readMessage(in, ElectLeadersRequestData::new);
                    return answer(controller, requestId, () -> controller.electLeaders(request),
                            ControllerMessages::writeMessage);
                }
                case ALTER_PARTITION_REASSIGNMENTS: {
                    AlterPartitionReassignmentsRequestData request = readMessage(in,
                            AlterPartitionReassignmentsRequestData::new);
                    return answer(controller, requestId, () -> controller.alterPartitionReassignments(request),
                            ControllerMessages::writeMessage);
                }
                case LIST_PARTITION_REASSIGNMENTS: {
                    ListPartitionReassignmentsRequestData request = readMessage(in,
                            ListPartitionReassignmentsRequestData::new);
                    return answer(controller, requestId, () -> controller.listPartitionReassignments(request),
                            ControllerMessages::writeMessage);
                }
                case REGISTER_QUORUM_MEMBER: {
                    int nodeId = in.readInt();
                    Uuid directoryId = readUuid(in);
                    return answer(controller, requestId, () -> controller.registerQuorumMember(nodeId, directoryId),
                            (out, nothing) -> { });
                }
                case UNREGISTER_BROKER: {
                    int brokerId = in.readInt();
                    return answer(controller, requestId, () -> controller.unregisterBroker(brokerId),
                            (out, nothing) -> { });
                }
                case CREATE_TOPICS: {
                    boolean validateOnly = in.readBoolean();
                    List<CreateTopicSpec> specs = readList(in, ControllerMessages::readTopicSpec);
                    return answer(controller, requestId, () -> controller.createTopics(specs, validateOnly),
                            ControllerMessages::writeTopicResults);
                }
                case DELETE_TOPICS: {
                    List<String> names = readList(in, d -> readString(d));
                    List<Uuid> ids = readList(in, d -> readUuid(d));
                    return answer(controller, requestId, () -> controller.deleteTopics(names, ids),
                            ControllerMessages::writeTopicResults);
                }
                case CREATE_PARTITIONS: {
                    boolean validateOnly = in.readBoolean();
                    List<CreatePartitionsSpec> specs = readList(in, ControllerMessages::readPartitionsSpec);
                    return answer(controller, requestId, () -> controller.createPartitions(specs, validateOnly),
                            ControllerMessages::writeTopicResults);
                }
                case INCREMENTAL_ALTER_CONFIGS: {
                    boolean validateOnly = in.readBoolean();
                    Map<ConfigResource, List<ConfigChange>> changes = readMap(in, ControllerMessages::readResource,
                            d -> readList(d, ControllerMessages::readChange));
                    return answer(controller, requestId, () -> controller.incrementalAlterConfigs(changes, validateOnly),
                            ControllerMessages::writeConfigResults);
                }
                case REPLACE_CONFIGS: {
                    boolean validateOnly = in.readBoolean();
                    Map<ConfigResource, Map<String, String>> configs = readMap(in, ControllerMessages::readResource,
                            ControllerMessages::readStrings);
                    return answer(controller, requestId, () -> controller.replaceConfigs(configs, validateOnly),
                            ControllerMessages::writeConfigResults);
                }
                case ALTER_SCRAM_CREDENTIALS: {
                    List<ScramCredentialRecord> changes = readList(in,
                            d -> new ScramCredentialRecord(readString(d), readString(d), readString(d)));
                    return answer(controller, requestId, () -> controller.alterScramCredentials(changes),
                            (out, results) -> writeList(out, results, (o, r) -> {
                                writeString(o, r.user());
                                writeString(o, r.mechanism());
                                o.writeShort(r.error().code());
                                writeString(o, r.message());
                            }));
                }
                case ALTER_CLIENT_QUOTAS: {
                    AlterClientQuotasRequestData request = readMessage(in, AlterClientQuotasRequestData::new);
                    return answer(controller, requestId, () -> controller.alterClientQuotas(request),
                            ControllerMessages::writeMessage);
                }
                case CREATE_ACLS: {
                    List<AclBinding> bindings = readList(in, ControllerMessages::readAcl);
                    return answer(controller, requestId, () -> controller.createAcls(bindings),
                            ControllerMessages::writeAclResults);
                }
                case DELETE_ACLS: {
                    List<AclBindingFilter> filters = readList(in, ControllerMessages::readAclFilter);
                    return answer(controller, requestId, () -> controller.deleteAcls(filters),
                            ControllerMessages::writeAclResults);
                }
                case DESCRIBE_QUORUM:
                    return answer(CompletableFuture.supplyAsync(quorum, Runnable::run), ControllerMessages::writeMessage);
                case ALLOCATE_PRODUCER_IDS: {
                    int brokerId = in.readInt();
                    int count = in.readInt();
                    return answer(controller, requestId, () -> controller.allocateProducerIds(brokerId, count),
                            DataOutput::writeLong);
                }
                default:
                    return CompletableFuture.completedFuture(error(Errors.INVALID_REQUEST,
                            "Unknown controller operation " + op));
            }
        } catch (IOException | RuntimeException e) {
            return CompletableFuture.completedFuture(error(Errors.INVALID_REQUEST,
                    "Undecodable controller operation: " + e));
        }
    }

    private static <T> CompletableFuture<byte[]> answer(QuorumController controller, UUID requestId,
                                                        Supplier<CompletableFuture<T>> call, Writer<T> writer) {
        @SuppressWarnings("unchecked")
        Function<Object, byte[]> encode = value -> success(writer, (T) value);
        return answer(controller.forRequest(new QuorumController.RequestTag(requestId, encode), call), writer);
    }

    private static <T> CompletableFuture<byte[]> answer(CompletableFuture<T> result, Writer<T> writer) {
        return result.handle((value, failure) -> {
            if (failure != null) {
                Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                        ? failure.getCause() : failure;
                return error(Errors.forException(cause), cause.getMessage());
            }
            return success(writer, value);
        });
    }

    private static <T> byte[] success(Writer<T> writer, T value) {
        return encode(out -> {
            out.writeByte(0);
            writer.write(out, value);
        });
    }

    private static byte[] error(Errors error, String message) {
        return encode(out -> {
            out.writeByte(1);
            out.writeShort(error.code());
            writeString(out, message);
        });
    }

    private static <T> Call<T> call(byte op, Body arguments, Reader<T> result) {
        return new Call<>(encode(out -> {
            out.writeByte(op);
            arguments.write(out);
        }), result);
    }

    private interface Body {
        void write(DataOutput out) throws IOException;
    }

    private static byte[] encode(Body body) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(128);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            body.write(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static void writeMessage(DataOutput out, ApiMessage message) throws IOException {
        byte[] bytes = MessageUtil.toVersionPrefixedBytes(message.highestSupportedVersion(), message);
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    private static <T> T readMessage(DataInput in, BiFunction<ByteBufferAccessor, Short, T> constructor)
            throws IOException {
        byte[] bytes = new byte[in.readInt()];
        in.readFully(bytes);
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        short version = buffer.getShort();
        return constructor.apply(new ByteBufferAccessor(buffer), version);
    }

    private static void writeTopicSpec(DataOutput out, CreateTopicSpec s) throws IOException {
        writeString(out, s.name());
        out.writeInt(s.numPartitions());
        out.writeShort(s.replicationFactor());
        writeMap(out, s.assignments(), DataOutput::writeInt,
                (o, replicas) -> writeInts(o, replicas.stream().mapToInt(Integer::intValue).toArray()));
        writeStrings(out, s.configs());
    }

    private static CreateTopicSpec readTopicSpec(DataInput in) throws IOException {
        return new CreateTopicSpec(readString(in), in.readInt(), in.readShort(),
                readMap(in, DataInput::readInt, d -> boxed(readInts(d))), readStrings(in));
    }

    private static void writePartitionsSpec(DataOutput out, CreatePartitionsSpec s) throws IOException {
        writeString(out, s.topic());
        out.writeInt(s.totalCount());
        out.writeBoolean(s.assignments() != null);
        if (s.assignments() != null) {
            writeList(out, s.assignments(), (o, r) -> writeInts(o, r.stream().mapToInt(Integer::intValue).toArray()));
        }
    }

    private static CreatePartitionsSpec readPartitionsSpec(DataInput in) throws IOException {
        String topic = readString(in);
        int total = in.readInt();
        return new CreatePartitionsSpec(topic, total, in.readBoolean() ? readList(in, d -> boxed(readInts(d))) : null);
    }

    private static void writeTopicResults(DataOutput out, List<TopicResult> results) throws IOException {
        writeList(out, results, (o, r) -> {
            writeString(o, r.name());
            o.writeBoolean(r.topicId() != null);
            if (r.topicId() != null) {
                writeUuid(o, r.topicId());
            }
            o.writeShort(r.error().code());
            writeString(o, r.message());
            o.writeInt(r.numPartitions());
            o.writeShort(r.replicationFactor());
            writeStrings(o, r.configs());
        });
    }

    private static List<TopicResult> readTopicResults(DataInput in) throws IOException {
        return readList(in, d -> new TopicResult(readString(d), d.readBoolean() ? readUuid(d) : null,
                Errors.forCode(d.readShort()), readString(d), d.readInt(), d.readShort(), readStrings(d)));
    }

    private static void writeConfigResults(DataOutput out, List<ConfigResult> results) throws IOException {
        writeList(out, results, (o, r) -> {
            writeResource(o, r.resource());
            o.writeShort(r.error().code());
            writeString(o, r.message());
        });
    }

    private static List<ConfigResult> readConfigResults(DataInput in) throws IOException {
        return readList(in, d -> new ConfigResult(readResource(d), Errors.forCode(d.readShort()), readString(d)));
    }

    private static void writeResource(DataOutput out, ConfigResource resource) throws IOException {
        out.writeByte(resource.type().id());
        writeString(out, resource.name());
    }

    private static ConfigResource readResource(DataInput in) throws IOException {
        return new ConfigResource(ConfigResource.Type.forId(in.readByte()), readString(in));
    }

    /** An operation the client named but Kafka does not define travels as -1, for the controller to refuse. */
    private static void writeChange(DataOutput out, ConfigChange change) throws IOException {
        writeString(out, change.key());
        out.writeByte(change.op() == null ? UNKNOWN_OPERATION : change.op().id());
        writeString(out, change.value());
    }

    private static ConfigChange readChange(DataInput in) throws IOException {
        return new ConfigChange(readString(in), AlterConfigOp.OpType.forId(in.readByte()), readString(in));
    }

    private static void writeAcl(DataOutput out, AclBinding acl) throws IOException {
        writeAclFilter(out, acl.toFilter());
    }

    private static AclBinding readAcl(DataInput in) throws IOException {
        AclBindingFilter filter = readAclFilter(in);
        return new AclBinding(new ResourcePattern(filter.patternFilter().resourceType(), filter.patternFilter().name(),
                filter.patternFilter().patternType()), new AccessControlEntry(filter.entryFilter().principal(),
                filter.entryFilter().host(), filter.entryFilter().operation(), filter.entryFilter().permissionType()));
    }

    private static void writeAclFilter(DataOutput out, AclBindingFilter filter) throws IOException {
        out.writeByte(filter.patternFilter().resourceType().code());
        writeString(out, filter.patternFilter().name());
        out.writeByte(filter.patternFilter().patternType().code());
        writeString(out, filter.entryFilter().principal());
        writeString(out, filter.entryFilter().host());
        out.writeByte(filter.entryFilter().operation().code());
        out.writeByte(filter.entryFilter().permissionType().code());
    }

    private static AclBindingFilter readAclFilter(DataInput in) throws IOException {
        return new AclBindingFilter(new ResourcePatternFilter(ResourceType.fromCode(in.readByte()), readString(in),
                PatternType.fromCode(in.readByte())), new AccessControlEntryFilter(readString(in), readString(in),
                AclOperation.fromCode(in.readByte()), AclPermissionType.fromCode(in.readByte())));
    }

    private static void writeAclResults(DataOutput out, List<AclResult> results) throws IOException {
        writeList(out, results, (o, r) -> {
            o.writeShort(r.error().code());
            writeString(o, r.message());
            writeList(o, r.deleted(), ControllerMessages::writeAcl);
        });
    }

    private static List<AclResult> readAclResults(DataInput in) throws IOException {
        return readList(in, d -> new AclResult(Errors.forCode(d.readShort()), readString(d),
                readList(d, ControllerMessages::readAcl)));
    }

    private static void writeStrings(DataOutput out, Map<String, String> map) throws IOException {
        writeMap(out, map, (o, k) -> writeString(o, k), (o, v) -> writeString(o, v));
    }

    private static Map<String, String> readStrings(DataInput in) throws IOException {
        return readMap(in, d -> readString(d), d -> readString(d));
    }

    private static <T> void writeList(DataOutput out, List<T> list, Writer<T> writer) throws IOException {
        out.writeInt(list.size());
        for (T item : list) {
            writer.write(out, item);
        }
    }

    private static <T> List<T> readList(DataInput in, Reader<T> reader) throws IOException {
        int size = in.readInt();
        List<T> list = new ArrayList<>(Math.min(size, 1024));
        for (int i = 0; i < size; i++) {
            list.add(reader.read(in));
        }
        return list;
    }

    private static <K, V> void writeMap(DataOutput out, Map<K, V> map, Writer<K> keys, Writer<V> values)
            throws IOException {
        out.writeInt(map.size());
        for (Map.Entry<K, V> e : map.entrySet()) {
            keys.write(out, e.getKey());
            values.write(out, e.getValue());
        }
    }

    /** Keeps the sender's order: results come back in it. */
    private static <K, V> Map<K, V> readMap(DataInput in, Reader<K> keys, Reader<V> values) throws IOException {
        int size = in.readInt();
        Map<K, V> map = new LinkedHashMap<>();
        for (int i = 0; i < size; i++) {
            map.put(keys.read(in), values.read(in));
        }
        return map;
    }

    private static List<Integer> boxed(int[] values) {
        return java.util.Arrays.stream(values).boxed().toList();
    }
}
