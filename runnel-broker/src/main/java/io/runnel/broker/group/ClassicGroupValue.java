package io.runnel.broker.group;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * The value of a classic group's metadata record ({@link GroupRecords#GROUP_METADATA}): what a group must find again
 * after a coordinator move. Public so that {@code runnel dump-log --offsets-decoder} reads it with this same code.
 * {@code emptySinceMs} is {@link Long#MIN_VALUE} while the group has never been Empty.
 */
public record ClassicGroupValue(String protocolType, int generationId, String protocolName, String leaderId,
                                long emptySinceMs, List<Member> members) {
    public static final short VERSION = 0;

    /** A member with the metadata of the group's chosen protocol and its assignment. */
    public record Member(String memberId, String groupInstanceId, String clientId, String clientHost,
                         int rebalanceTimeoutMs, int sessionTimeoutMs, byte[] metadata, byte[] assignment) {
    }

    ByteBuffer toBuffer() {
        RecordWriter writer = new RecordWriter().writeShort(VERSION)
                .writeString(protocolType).writeInt(generationId).writeString(protocolName).writeString(leaderId)
                .writeLong(emptySinceMs).writeInt(members.size());
        for (Member m : members) {
            writer.writeString(m.memberId).writeString(m.groupInstanceId).writeString(m.clientId)
                    .writeString(m.clientHost).writeInt(m.rebalanceTimeoutMs).writeInt(m.sessionTimeoutMs)
                    .writeBytes(m.metadata).writeBytes(m.assignment);
        }
        return writer.toBuffer();
    }

    /** Reads a value written by {@link #toBuffer()}; throws on an unknown version or a truncated value. */
    public static ClassicGroupValue read(ByteBuffer value) {
        RecordReader reader = new RecordReader(value);
        short version = reader.readShort();
        if (version != VERSION) {
            throw new IllegalStateException("Unknown group metadata value version " + version);
        }
        String protocolType = reader.readString();
        int generationId = reader.readInt();
        String protocolName = reader.readString();
        String leaderId = reader.readString();
        long emptySinceMs = reader.readLong();
        int count = reader.readInt();
        List<Member> members = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            members.add(new Member(reader.readString(), reader.readString(), reader.readString(), reader.readString(),
                    reader.readInt(), reader.readInt(), reader.readBytes(), reader.readBytes()));
        }
        return new ClassicGroupValue(protocolType, generationId, protocolName, leaderId, emptySinceMs, members);
    }
}
