package io.runnel.it.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.kafka.common.message.JoinGroupRequestData;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.message.LeaveGroupRequestData;
import org.apache.kafka.common.message.SyncGroupRequestData;
import org.apache.kafka.common.message.SyncGroupResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;

/** The one member of a classic group of its own, as group scenarios need it before the call they test. */
record ClassicMember(String groupId, String memberId, int generationId) {
    static final String PROTOCOL_TYPE = "consumer";
    static final String PROTOCOL = "range";
    static final byte[] SUBSCRIPTION = "subscription".getBytes(StandardCharsets.UTF_8);
    static final byte[] ASSIGNMENT = "assignment".getBytes(StandardCharsets.UTF_8);
    private static final int SESSION_TIMEOUT_MS = 30_000;

    /** A JoinGroup request as a consumer sends it at {@code version}. */
    static JoinGroupRequestData joinRequest(String groupId, String memberId, short version) {
        JoinGroupRequestData.JoinGroupRequestProtocolCollection protocols =
                new JoinGroupRequestData.JoinGroupRequestProtocolCollection();
        protocols.add(new JoinGroupRequestData.JoinGroupRequestProtocol().setName(PROTOCOL).setMetadata(SUBSCRIPTION));
        JoinGroupRequestData request = new JoinGroupRequestData().setGroupId(groupId).setMemberId(memberId)
                .setSessionTimeoutMs(SESSION_TIMEOUT_MS).setProtocolType(PROTOCOL_TYPE).setProtocols(protocols);
        if (version >= 1) {
            request.setRebalanceTimeoutMs(SESSION_TIMEOUT_MS);
        }
        return request;
    }

    /** Joins a new group at JoinGroup's latest version (with KIP-394's member id round trip) and syncs. */
    static ClassicMember joinAndSync(Exchange x, String groupId) throws Exception {
        short joinVersion = ApiKeys.JOIN_GROUP.latestVersion(false);
        JoinGroupResponseData first = x.sendAt(joinRequest(groupId, "", joinVersion), joinVersion);
        assertEquals(Errors.MEMBER_ID_REQUIRED.code(), first.errorCode(), "first join");
        JoinGroupResponseData joined = x.sendAt(joinRequest(groupId, first.memberId(), joinVersion), joinVersion);
        assertEquals(Errors.NONE.code(), joined.errorCode(), "join");
        ClassicMember member = new ClassicMember(groupId, joined.memberId(), joined.generationId());
        short syncVersion = ApiKeys.SYNC_GROUP.latestVersion(false);
        SyncGroupResponseData synced = x.sendAt(member.syncRequest(syncVersion), syncVersion);
        assertEquals(Errors.NONE.code(), synced.errorCode(), "sync");
        return member;
    }

    /** The leader's SyncGroup, assigning {@link #ASSIGNMENT} to itself. */
    SyncGroupRequestData syncRequest(short version) {
        SyncGroupRequestData request = new SyncGroupRequestData().setGroupId(groupId).setGenerationId(generationId)
                .setMemberId(memberId).setAssignments(List.of(new SyncGroupRequestData.SyncGroupRequestAssignment()
                        .setMemberId(memberId).setAssignment(ASSIGNMENT)));
        if (version >= 5) {
            request.setProtocolType(PROTOCOL_TYPE).setProtocolName(PROTOCOL);
        }
        return request;
    }

    /** Leaves at LeaveGroup's latest version, so that the group is empty again. */
    void leave(Exchange x) throws Exception {
        x.sendAt(new LeaveGroupRequestData().setGroupId(groupId).setMembers(List.of(
                new LeaveGroupRequestData.MemberIdentity().setMemberId(memberId))), ApiKeys.LEAVE_GROUP.latestVersion(false));
    }
}
