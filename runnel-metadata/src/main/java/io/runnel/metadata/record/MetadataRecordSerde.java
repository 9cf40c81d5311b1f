package io.runnel.metadata.record;

import io.runnel.metadata.Endpoint;
import io.runnel.metadata.PartitionRegistration;
import java.io.ByteArrayOutputStream;
import java.io.DataInput;
import java.io.DataInputStream;
import java.io.DataOutput;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.quota.ClientQuotaEntity;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourceType;

/**
 * The binary form of metadata records: a type byte, a version byte, then the fields big-endian. A log entry is
 * a record count followed by the records. Strings are a length (-1 for null) and UTF-8 bytes.
 */
public final class MetadataRecordSerde {
    private static final byte REGISTER_BROKER = 1;
    private static final byte TOPIC = 2;
    private static final byte PARTITION = 3;
    private static final byte PARTITION_CHANGE = 4;
    private static final byte REMOVE_TOPIC = 5;
    private static final byte CONFIG = 6;
    private static final byte PRODUCER_IDS = 7;
    private static final byte BROKER_REGISTRATION_CHANGE = 8;
    private static final byte SCRAM_CREDENTIAL = 9;
    private static final byte UNREGISTER_BROKER = 10;
    private static final byte ACCESS_CONTROL_ENTRY = 11;
    private static final byte REMOVE_ACCESS_CONTROL_ENTRY = 12;
    private static final byte CLIENT_QUOTA = 13;
    private static final byte QUORUM_MEMBER = 14;
    private static final byte VERSION = 0;
    /** Version 1 of a broker registration adds the broker epoch and incarnation id. */
    private static final byte REGISTER_BROKER_VERSION = 1;
    /**
     * Version 1 of a partition and of a partition change adds a reassignment's adding and removing replicas; it is
     * written only when they are set, so logs without reassignments keep version 0.
     */
    private static final byte REASSIGNMENT_VERSION = 1;
    /** A partition record or change with the reassignment fields, then the eligible leader replicas (KIP-966). */
    private static final byte ELR_VERSION = 2;

    private MetadataRecordSerde() {
    }

    /** One log entry holding {@code records}, applied atomically. */
    public static byte[] encodeEntry(List<MetadataRecord> records) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 * records.size());
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(records.size());
            for (MetadataRecord record : records) {
                write(out, record);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    public static List<MetadataRecord> decodeEntry(InputStream entry) throws IOException {
        DataInputStream in = new DataInputStream(entry);
        int count = in.readInt();
        if (count < 0) {
            throw new IOException("Negative record count " + count);
        }
        List<MetadataRecord> records = new ArrayList<>(Math.min(count, 1024));
        for (int i = 0; i < count; i++) {
            records.add(read(in));
        }
        return records;
    }

    public static void write(DataOutput out, MetadataRecord record) throws IOException {
        if (record instanceof RegisterBrokerRecord r) {
            out.writeByte(REGISTER_BROKER);
            out.writeByte(REGISTER_BROKER_VERSION);
            out.writeInt(r.nodeId());
            out.writeInt(r.endpoints().size());
            for (Endpoint e : r.endpoints()) {
                writeString(out, e.listenerName());
                writeString(out, e.host());
                out.writeInt(e.port());
                writeString(out, e.securityProtocol());
            }
            writeString(out, r.rack());
            out.writeBoolean(r.fenced());
            out.writeLong(r.brokerEpoch());
            writeUuid(out, r.incarnationId());
        } else if (record instanceof BrokerRegistrationChangeRecord r) {
            header(out, BROKER_REGISTRATION_CHANGE);
            out.writeInt(r.brokerId());
            out.writeLong(r.brokerEpoch());
            out.writeBoolean(r.fenced());
        } else if (record instanceof TopicRecord r) {
            header(out, TOPIC);
            writeString(out, r.name());
            writeUuid(out, r.topicId());
        } else if (record instanceof PartitionRecord r) {
            PartitionRegistration p = r.registration();
            out.writeByte(PARTITION);
            out.writeByte(p.hasElr() ? ELR_VERSION : p.reassigning() ? REASSIGNMENT_VERSION : VERSION);
            writeUuid(out, r.topicId());
            out.writeInt(r.partition());
            writeInts(out, p.replicas());
            writeInts(out, p.isr());
            out.writeInt(p.leader());
            out.writeInt(p.leaderEpoch());
            out.writeInt(p.partitionEpoch());
            if (p.reassigning() || p.hasElr()) {
                writeInts(out, p.addingReplicas());
                writeInts(out, p.removingReplicas());
            }
            if (p.hasElr()) {
                writeInts(out, p.elr());
                writeInts(out, p.lastKnownElr());
            }
        } else if (record instanceof PartitionChangeRecord r) {
            out.writeByte(PARTITION_CHANGE);
            out.writeByte(r.changesElr() ? ELR_VERSION : r.changesReassignment() ? REASSIGNMENT_VERSION : VERSION);
            writeUuid(out, r.topicId());
            out.writeInt(r.partition());
            writeInts(out, r.replicas());
            writeInts(out, r.isr());
            out.writeInt(r.leader());
            if (r.changesReassignment() || r.changesElr()) {
                writeInts(out, r.addingReplicas());
                writeInts(out, r.removingReplicas());
            }
            if (r.changesElr()) {
                writeInts(out, r.elr());
                writeInts(out, r.lastKnownElr());
            }
        } else if (record instanceof RemoveTopicRecord r) {
            header(out, REMOVE_TOPIC);
            writeUuid(out, r.topicId());
        } else if (record instanceof ConfigRecord r) {
            header(out, CONFIG);
            out.writeByte(r.resourceType().id());
            writeString(out, r.resourceName());
            writeString(out, r.key());
            writeString(out, r.value());
        } else if (record instanceof UnregisterBrokerRecord r) {
            header(out, UNREGISTER_BROKER);
            out.writeInt(r.brokerId());
            out.writeLong(r.brokerEpoch());
        } else if (record instanceof ProducerIdsRecord r) {
            header(out, PRODUCER_IDS);
            out.writeInt(r.brokerId());
            out.writeLong(r.nextProducerId());
        } else if (record instanceof ScramCredentialRecord r) {
            header(out, SCRAM_CREDENTIAL);
            writeString(out, r.user());
            writeString(out, r.mechanism());
            writeString(out, r.credential());
        } else if (record instanceof AccessControlEntryRecord r) {
            header(out, ACCESS_CONTROL_ENTRY);
            writeUuid(out, r.id());
            out.writeByte(r.resourceType().code());
            writeString(out, r.resourceName());
            out.writeByte(r.patternType().code());
            writeString(out, r.principal());
            writeString(out, r.host());
            out.writeByte(r.operation().code());
            out.writeByte(r.permissionType().code());
        } else if (record instanceof RemoveAccessControlEntryRecord r) {
            header(out, REMOVE_ACCESS_CONTROL_ENTRY);
            writeUuid(out, r.id());
        } else if (record instanceof ClientQuotaRecord r) {
            header(out, CLIENT_QUOTA);
            Map<String, String> entries = new TreeMap<>(r.entity().entries());
            out.writeInt(entries.size());
            for (Map.Entry<String, String> e : entries.entrySet()) {
                writeString(out, e.getKey());
                writeString(out, e.getValue());
            }
            writeString(out, r.key());
            out.writeBoolean(r.value() != null);
            if (r.value() != null) {
                out.writeDouble(r.value());
            }
        } else if (record instanceof QuorumMemberRecord r) {
            header(out, QUORUM_MEMBER);
            out.writeInt(r.nodeId());
            writeUuid(out, r.directoryId());
        } else {
            throw new IllegalArgumentException("Unknown metadata record " + record);
        }
    }

    public static MetadataRecord read(DataInput in) throws IOException {
        byte type = in.readByte();
        byte version = in.readByte();
        boolean partition = type == PARTITION || type == PARTITION_CHANGE;
        boolean reassignment = (version == REASSIGNMENT_VERSION || version == ELR_VERSION) && partition;
        boolean elr = version == ELR_VERSION && partition;
        if (version != VERSION && !reassignment && !(type == REGISTER_BROKER && version == REGISTER_BROKER_VERSION)) {
            throw new IOException("Unsupported version " + version + " of metadata record type " + type);
        }
        return switch (type) {
            case REGISTER_BROKER -> {
                int nodeId = in.readInt();
                int count = in.readInt();
                List<Endpoint> endpoints = new ArrayList<>(Math.min(count, 16));
                for (int i = 0; i < count; i++) {
                    endpoints.add(new Endpoint(readString(in), readString(in), in.readInt(), readString(in)));
                }
                String rack = readString(in);
                boolean fenced = in.readBoolean();
                // A version 0 registration predates broker epochs: the single node it describes had epoch 0.
                yield version == VERSION ? new RegisterBrokerRecord(nodeId, endpoints, rack, fenced, 0, Uuid.ZERO_UUID)
                        : new RegisterBrokerRecord(nodeId, endpoints, rack, fenced, in.readLong(), readUuid(in));
            }
            case BROKER_REGISTRATION_CHANGE -> new BrokerRegistrationChangeRecord(in.readInt(), in.readLong(),
                    in.readBoolean());
            case TOPIC -> new TopicRecord(readString(in), readUuid(in));
            case PARTITION -> {
                Uuid topicId = readUuid(in);
                int partitionIndex = in.readInt();
                int[] replicas = readInts(in);
                int[] isr = readInts(in);
                int leader = in.readInt();
                int leaderEpoch = in.readInt();
                int partitionEpoch = in.readInt();
                if (!reassignment) {
                    yield new PartitionRecord(topicId, partitionIndex,
                            new PartitionRegistration(replicas, isr, leader, leaderEpoch, partitionEpoch));
                }
                int[] adding = readInts(in);
                int[] removing = readInts(in);
                yield new PartitionRecord(topicId, partitionIndex, elr
                        ? new PartitionRegistration(replicas, isr, leader, leaderEpoch, partitionEpoch, adding, removing,
                                readInts(in), readInts(in))
                        : new PartitionRegistration(replicas, isr, leader, leaderEpoch, partitionEpoch, adding, removing));
            }
            case PARTITION_CHANGE -> {
                Uuid topicId = readUuid(in);
                int partitionIndex = in.readInt();
                int[] replicas = readInts(in);
                int[] isr = readInts(in);
                int leader = in.readInt();
                if (!reassignment) {
                    yield new PartitionChangeRecord(topicId, partitionIndex, replicas, isr, leader);
                }
                int[] adding = readInts(in);
                int[] removing = readInts(in);
                yield elr
                        ? new PartitionChangeRecord(topicId, partitionIndex, replicas, isr, leader, adding, removing,
                                readInts(in), readInts(in))
                        : new PartitionChangeRecord(topicId, partitionIndex, replicas, isr, leader, adding, removing);
            }
            case REMOVE_TOPIC -> new RemoveTopicRecord(readUuid(in));
            case CONFIG -> new ConfigRecord(ConfigResource.Type.forId(in.readByte()), readString(in), readString(in),
                    readString(in));
            case PRODUCER_IDS -> new ProducerIdsRecord(in.readInt(), in.readLong());
            case SCRAM_CREDENTIAL -> new ScramCredentialRecord(readString(in), readString(in), readString(in));
            case UNREGISTER_BROKER -> new UnregisterBrokerRecord(in.readInt(), in.readLong());
            case ACCESS_CONTROL_ENTRY -> new AccessControlEntryRecord(readUuid(in),
                    ResourceType.fromCode(in.readByte()), readString(in), PatternType.fromCode(in.readByte()),
                    readString(in), readString(in), AclOperation.fromCode(in.readByte()),
                    AclPermissionType.fromCode(in.readByte()));
            case REMOVE_ACCESS_CONTROL_ENTRY -> new RemoveAccessControlEntryRecord(readUuid(in));
            case CLIENT_QUOTA -> {
                int count = in.readInt();
                if (count < 0 || count > 3) {
                    throw new IOException("A client-quota entity of " + count + " types");
                }
                Map<String, String> entries = new HashMap<>();
                for (int i = 0; i < count; i++) {
                    entries.put(readString(in), readString(in));
                }
                String key = readString(in);
                yield new ClientQuotaRecord(new ClientQuotaEntity(entries), key, in.readBoolean() ? in.readDouble() : null);
            }
            case QUORUM_MEMBER -> new QuorumMemberRecord(in.readInt(), readUuid(in));
            default -> throw new IOException("Unknown metadata record type " + type);
        };
    }

    private static void header(DataOutput out, byte type) throws IOException {
        out.writeByte(type);
        out.writeByte(VERSION);
    }

    public static void writeString(DataOutput out, String s) throws IOException {
        if (s == null) {
            out.writeInt(-1);
            return;
        }
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    public static String readString(DataInput in) throws IOException {
        int length = in.readInt();
        if (length < 0) {
            return null;
        }
        byte[] bytes = new byte[length];
        in.readFully(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    public static void writeUuid(DataOutput out, Uuid id) throws IOException {
        out.writeLong(id.getMostSignificantBits());
        out.writeLong(id.getLeastSignificantBits());
    }

    public static Uuid readUuid(DataInput in) throws IOException {
        return new Uuid(in.readLong(), in.readLong());
    }

    public static void writeInts(DataOutput out, int[] values) throws IOException {
        if (values == null) {
            out.writeInt(-1);
            return;
        }
        out.writeInt(values.length);
        for (int v : values) {
            out.writeInt(v);
        }
    }

    public static int[] readInts(DataInput in) throws IOException {
        int length = in.readInt();
        if (length < 0) {
            return null;
        }
        int[] values = new int[length];
        for (int i = 0; i < length; i++) {
            values[i] = in.readInt();
        }
        return values;
    }
}
