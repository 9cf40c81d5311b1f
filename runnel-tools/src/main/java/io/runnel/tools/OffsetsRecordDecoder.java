package io.runnel.tools;

import io.runnel.broker.group.ClassicGroupValue;
import io.runnel.broker.group.CommittedOffset;
import io.runnel.broker.group.GroupRecords;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.message.ConsumerProtocolAssignment;
import org.apache.kafka.common.message.ConsumerProtocolSubscription;
import org.apache.kafka.common.protocol.ByteBufferAccessor;

import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.List;
import java.util.StringJoiner;

/**
 * {@code dump-log --offsets-decoder}: a {@code __consumer_offsets} record as kafka-dump-log.sh prints it, the key as
 * {"type":..,"data":{..}} and the value as {"version":..,"data":{..}} or {@code <DELETE>}, with the fields of Runnel's
 * own records (read by the coordinator's code in {@code io.runnel.broker.group}). A group's {@code emptySinceMs} is -1
 * while it has never been Empty. Undecodable records print Kafka's "skipping" line as their key and no payload.
 */
final class OffsetsRecordDecoder {
    private static final String CONSUMER_PROTOCOL_TYPE = "consumer";
    private static final short FIRST_SUBSCRIPTION_VERSION_WITH_OWNED_PARTITIONS = 1;
    private static final short FIRST_SUBSCRIPTION_VERSION_WITH_GENERATION = 2;
    private static final short FIRST_SUBSCRIPTION_VERSION_WITH_RACK = 3;

    /** What to print after "key: " and, unless null, after "payload: ". */
    record Decoded(String key, String payload) {
    }

    private OffsetsRecordDecoder() {
    }

    static Decoded decode(long offset, ByteBuffer key, ByteBuffer value) {
        if (key == null) {
            return new Decoded("Error at offset " + offset + ", skipping. The record has no key.", null);
        }
        try {
            short type = GroupRecords.type(key);
            String groupId = GroupRecords.groupId(key);
            if (type == GroupRecords.OFFSET_COMMIT) {
                TopicPartition tp = GroupRecords.offsetPartition(key);
                String keyJson = "{\"type\":\"" + type + "\",\"data\":{\"group\":" + Json.quote(groupId)
                        + ",\"topic\":" + Json.quote(tp.topic()) + ",\"partition\":" + tp.partition() + "}}";
                return new Decoded(keyJson, value == null ? "<DELETE>" : offsetValue(GroupRecords.readOffset(value)));
            }
            if (type == GroupRecords.GROUP_METADATA) {
                String keyJson = "{\"type\":\"" + type + "\",\"data\":{\"group\":" + Json.quote(groupId) + "}}";
                return new Decoded(keyJson, value == null ? "<DELETE>" : groupValue(ClassicGroupValue.read(value)));
            }
            return new Decoded("Unknown record type " + type + " at offset " + offset + ", skipping.", null);
        } catch (RuntimeException e) {
            String why = e.getMessage() == null ? e.toString() : e.getMessage();
            return new Decoded("Error at offset " + offset + ", skipping. " + why, null);
        }
    }

    private static String offsetValue(CommittedOffset o) {
        return "{\"version\":\"" + GroupRecords.OFFSET_VALUE_VERSION + "\",\"data\":{\"offset\":" + o.offset()
                + ",\"leaderEpoch\":" + o.leaderEpoch() + ",\"metadata\":" + Json.quote(o.metadata())
                + ",\"commitTimestamp\":" + o.commitTimestamp() + "}}";
    }

    private static String groupValue(ClassicGroupValue g) {
        boolean consumer = CONSUMER_PROTOCOL_TYPE.equals(g.protocolType());
        StringJoiner members = new StringJoiner(",", "[", "]");
        for (ClassicGroupValue.Member m : g.members()) {
            members.add("{\"memberId\":" + Json.quote(m.memberId()) + ",\"groupInstanceId\":"
                    + Json.quote(m.groupInstanceId()) + ",\"clientId\":" + Json.quote(m.clientId())
                    + ",\"clientHost\":" + Json.quote(m.clientHost()) + ",\"rebalanceTimeout\":" + m.rebalanceTimeoutMs()
                    + ",\"sessionTimeout\":" + m.sessionTimeoutMs()
                    + ",\"subscription\":" + (consumer ? subscription(m.metadata()) : base64(m.metadata()))
                    + ",\"assignment\":" + (consumer ? assignment(m.assignment()) : base64(m.assignment())) + "}");
        }
        long emptySince = g.emptySinceMs() == Long.MIN_VALUE ? -1 : g.emptySinceMs();
        return "{\"version\":\"" + ClassicGroupValue.VERSION + "\",\"data\":{\"protocolType\":"
                + Json.quote(g.protocolType()) + ",\"generation\":" + g.generationId() + ",\"protocol\":"
                + Json.quote(g.protocolName()) + ",\"leader\":" + Json.quote(g.leaderId())
                + ",\"emptySinceMs\":" + emptySince + ",\"members\":" + members + "}}";
    }

    /** A consumer's subscription with the fields of its version, as Kafka prints it; base64 if it does not parse. */
    private static String subscription(byte[] bytes) {
        try {
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            short version = buffer.getShort();
            ConsumerProtocolSubscription s = new ConsumerProtocolSubscription(new ByteBufferAccessor(buffer), version);
            StringJoiner topics = new StringJoiner(",", "[", "]");
            s.topics().forEach(t -> topics.add(Json.quote(t)));
            StringBuilder json = new StringBuilder("{\"topics\":").append(topics)
                    .append(",\"userData\":").append(userData(s.userData()));
            if (version >= FIRST_SUBSCRIPTION_VERSION_WITH_OWNED_PARTITIONS) {
                StringJoiner owned = new StringJoiner(",", "[", "]");
                s.ownedPartitions().forEach(tp -> owned.add(partitions(tp.topic(), tp.partitions())));
                json.append(",\"ownedPartitions\":").append(owned);
            }
            if (version >= FIRST_SUBSCRIPTION_VERSION_WITH_GENERATION) {
                json.append(",\"generationId\":").append(s.generationId());
            }
            if (version >= FIRST_SUBSCRIPTION_VERSION_WITH_RACK) {
                json.append(",\"rackId\":").append(Json.quote(s.rackId()));
            }
            return json.append('}').toString();
        } catch (RuntimeException e) {
            return base64(bytes);
        }
    }

    private static String assignment(byte[] bytes) {
        try {
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            short version = buffer.getShort();
            ConsumerProtocolAssignment a = new ConsumerProtocolAssignment(new ByteBufferAccessor(buffer), version);
            StringJoiner assigned = new StringJoiner(",", "[", "]");
            a.assignedPartitions().forEach(tp -> assigned.add(partitions(tp.topic(), tp.partitions())));
            return "{\"assignedPartitions\":" + assigned + ",\"userData\":" + userData(a.userData()) + "}";
        } catch (RuntimeException e) {
            return base64(bytes);
        }
    }

    private static String partitions(String topic, List<Integer> partitions) {
        return "{\"topic\":" + Json.quote(topic) + ",\"partitions\":" + partitions.toString().replace(" ", "") + "}";
    }

    private static String userData(ByteBuffer data) {
        if (data == null) {
            return "null";
        }
        byte[] bytes = new byte[data.remaining()];
        data.duplicate().get(bytes);
        return base64(bytes);
    }

    private static String base64(byte[] bytes) {
        return bytes == null ? "null" : Json.quote(Base64.getEncoder().encodeToString(bytes));
    }
}
