package io.runnel.broker.group;

import org.apache.kafka.common.GroupType;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.errors.CoordinatorNotAvailableException;
import org.apache.kafka.common.errors.FencedInstanceIdException;
import org.apache.kafka.common.errors.GroupMaxSizeReachedException;
import org.apache.kafka.common.errors.IllegalGenerationException;
import org.apache.kafka.common.errors.InconsistentGroupProtocolException;
import org.apache.kafka.common.errors.InvalidSessionTimeoutException;
import org.apache.kafka.common.errors.NotCoordinatorException;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.errors.UnknownMemberIdException;
import org.apache.kafka.common.message.DescribeGroupsResponseData.DescribedGroup;
import org.apache.kafka.common.message.DescribeGroupsResponseData.DescribedGroupMember;
import org.apache.kafka.common.message.JoinGroupRequestData;
import org.apache.kafka.common.message.JoinGroupRequestData.JoinGroupRequestProtocol;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.message.JoinGroupResponseData.JoinGroupResponseMember;
import org.apache.kafka.common.message.SyncGroupRequestData;
import org.apache.kafka.common.message.SyncGroupRequestData.SyncGroupRequestAssignment;
import org.apache.kafka.common.message.SyncGroupResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import static io.runnel.broker.group.ClassicGroupState.COMPLETING_REBALANCE;
import static io.runnel.broker.group.ClassicGroupState.DEAD;
import static io.runnel.broker.group.ClassicGroupState.EMPTY;
import static io.runnel.broker.group.ClassicGroupState.PREPARING_REBALANCE;
import static io.runnel.broker.group.ClassicGroupState.STABLE;

/**
 * A group of the classic protocol (JoinGroup / SyncGroup / Heartbeat / LeaveGroup) with Kafka's state machine:
 * Empty → PreparingRebalance (members join; the first rebalance of an empty group waits group.initial.rebalance.delay.ms,
 * any other at most the largest rebalance timeout, dropping members that did not rejoin) → CompletingRebalance (the
 * leader's SyncGroup carries the assignment) → Stable. Parked Join / Sync requests complete from timers or from other
 * members' requests. Static members (group.instance.id) may come back with a new member id without a rebalance.
 * Who is in the group is {@link ClassicMembers}; the join and sync deadlines are {@link RebalanceTimers}.
 * All methods run under the shard's lock, timers too ({@link GroupShard#schedule}).
 */
public final class ClassicGroup implements Group {
    private static final Logger log = LoggerFactory.getLogger(ClassicGroup.class);
    /** JoinGroup v4 (KIP-394) makes new dynamic members rejoin with the member id the coordinator gives them. */
    private static final short FIRST_JOIN_VERSION_REQUIRING_MEMBER_ID = 4;
    /** JoinGroup v9 (KIP-814) can tell a static leader coming back that it need not assign again. */
    private static final short FIRST_JOIN_VERSION_WITH_SKIP_ASSIGNMENT = 9;
    private static final short FIRST_JOIN_VERSION_WITH_NULLABLE_PROTOCOL_NAME = 7;

    private final String groupId;
    private final GroupShard shard;
    private ClassicGroupState state = EMPTY;
    private int generationId;
    private String protocolType;
    private String protocolName;
    private String leaderId;
    private final ClassicMembers members = new ClassicMembers();
    private final RebalanceTimers timers;
    private long emptySinceMs = Long.MIN_VALUE;

    ClassicGroup(String groupId, GroupShard shard) {
        this.groupId = groupId;
        this.shard = shard;
        this.timers = new RebalanceTimers(shard);
    }

    @Override
    public String groupId() {
        return groupId;
    }

    @Override
    public GroupType type() {
        return GroupType.CLASSIC;
    }

    @Override
    public String stateName() {
        return state.displayName;
    }

    @Override
    public String protocolType() {
        return protocolType == null ? "" : protocolType;
    }

    @Override
    public boolean isEmpty() {
        return members.isEmpty();
    }

    int generationId() {
        return generationId;
    }

    /** Never had a member nor a commit: a failed first JoinGroup leaves nothing behind. */
    boolean isUnused() {
        return state == EMPTY && generationId == 0 && members.isEmpty() && !members.hasPending();
    }

    // ---- JoinGroup

    public CompletableFuture<JoinGroupResponseData> join(JoinGroupRequestData request, short version, String clientId,
                                                          String clientHost) {
        GroupConfig config = shard.config();
        if (request.sessionTimeoutMs() < config.minSessionTimeoutMs() || request.sessionTimeoutMs() > config.maxSessionTimeoutMs()) {
            throw new InvalidSessionTimeoutException("session.timeout.ms " + request.sessionTimeoutMs() + " is outside ["
                    + config.minSessionTimeoutMs() + ", " + config.maxSessionTimeoutMs() + "]");
        }
        if (state == DEAD) {
            throw new CoordinatorNotAvailableException("Group " + groupId + " is being removed");
        }
        Map<String, byte[]> protocols = new LinkedHashMap<>();
        for (JoinGroupRequestProtocol p : request.protocols()) {
            protocols.putIfAbsent(p.name(), p.metadata());
        }
        if (!members.supports(protocolType, request.protocolType(), protocols)) {
            throw new InconsistentGroupProtocolException("The protocols of the member do not match group " + groupId);
        }
        String memberId = request.memberId();
        String instanceId = request.groupInstanceId();
        if (memberId.isEmpty()) {
            return joinAsNewMember(request, version, protocols, clientId, clientHost);
        }
        if (members.removePending(memberId)) {
            return addMemberAndRebalance(memberId, request, protocols, clientId, clientHost);
        }
        members.validate(groupId, memberId, instanceId);
        ClassicMember member = members.get(memberId);
        switch (state) {
            case PREPARING_REBALANCE -> {
                CompletableFuture<JoinGroupResponseData> future = update(member, request, protocols);
                tryCompleteJoin();
                return future;
            }
            case COMPLETING_REBALANCE -> {
                if (member.sameProtocols(protocols)) {
                    // The member lost the JoinGroup response: the same generation again.
                    return CompletableFuture.completedFuture(joinResponse(member));
                }
                CompletableFuture<JoinGroupResponseData> future = update(member, request, protocols);
                prepareRebalance("member " + memberId + " changed its protocols");
                return future;
            }
            case STABLE -> {
                if (!memberId.equals(leaderId) && member.sameProtocols(protocols)) {
                    return CompletableFuture.completedFuture(joinResponse(member));
                }
                CompletableFuture<JoinGroupResponseData> future = update(member, request, protocols);
                prepareRebalance("member " + memberId + " rejoined");
                return future;
            }
            default -> throw new UnknownMemberIdException("Member " + memberId + " is not in group " + groupId);
        }
    }

    private CompletableFuture<JoinGroupResponseData> joinAsNewMember(JoinGroupRequestData request, short version,
                                                                      Map<String, byte[]> protocols, String clientId,
                                                                      String clientHost) {
        String instanceId = request.groupInstanceId();
        String existing = instanceId == null ? null : members.staticMemberId(instanceId);
        if (existing == null && members.sizeWithPending() >= shard.config().maxSize()) {
            throw new GroupMaxSizeReachedException("Group " + groupId + " has reached group.max.size="
                    + shard.config().maxSize());
        }
        String memberId = clientId + "-" + UUID.randomUUID();
        if (existing != null) {
            return replaceStaticMember(existing, memberId, request, version, protocols, clientId, clientHost);
        }
        if (instanceId == null && version >= FIRST_JOIN_VERSION_REQUIRING_MEMBER_ID) {
            members.addPending(memberId, shard.schedule(() -> expirePending(memberId), request.sessionTimeoutMs()));
            return CompletableFuture.completedFuture(joinError(Errors.MEMBER_ID_REQUIRED, memberId, version));
        }
        return addMemberAndRebalance(memberId, request, protocols, clientId, clientHost);
    }

    private CompletableFuture<JoinGroupResponseData> addMemberAndRebalance(String memberId, JoinGroupRequestData request,
                                                                            Map<String, byte[]> protocols, String clientId,
                                                                            String clientHost) {
        ClassicMember member = new ClassicMember(memberId, request.groupInstanceId());
        member.clientId = clientId;
        member.clientHost = clientHost;
        members.add(member);
        timers.memberAdded();
        CompletableFuture<JoinGroupResponseData> future = update(member, request, protocols);
        if (state == PREPARING_REBALANCE) {
            tryCompleteJoin();
        } else {
            prepareRebalance("member " + memberId + " joined");
        }
        return future;
    }

    /**
     * A static member restarted: the new member id takes the old one's place and assignment. In a Stable group whose
     * selected protocol stays the same it gets the current generation back with no rebalance (KIP-345).
     */
    private CompletableFuture<JoinGroupResponseData> replaceStaticMember(String oldMemberId, String newMemberId,
                                                                          JoinGroupRequestData request, short version,
                                                                          Map<String, byte[]> protocols, String clientId,
                                                                          String clientHost) {
        ClassicMember old = members.get(oldMemberId);
        members.remove(old);
        old.cancelSessionTimer();
        fence(old);
        ClassicMember member = new ClassicMember(newMemberId, old.groupInstanceId);
        member.clientId = clientId;
        member.clientHost = clientHost;
        member.assignment = old.assignment;
        members.add(member);
        if (oldMemberId.equals(leaderId)) {
            leaderId = newMemberId;
        }
        member.protocols = protocols;
        if (state == STABLE && protocolName != null && protocolName.equals(members.selectProtocol())) {
            member.rebalanceTimeoutMs = request.rebalanceTimeoutMs();
            member.sessionTimeoutMs = request.sessionTimeoutMs();
            member.protocolType = request.protocolType();
            scheduleSessionTimeout(member);
            JoinGroupResponseData response = joinResponse(member);
            if (version >= FIRST_JOIN_VERSION_WITH_SKIP_ASSIGNMENT && newMemberId.equals(leaderId)) {
                response.setSkipAssignment(true);
            }
            return persist().thenApply(written -> response);
        }
        CompletableFuture<JoinGroupResponseData> future = update(member, request, protocols);
        if (state == PREPARING_REBALANCE) {
            tryCompleteJoin();
        } else {
            prepareRebalance("static member " + member.groupInstanceId + " rejoined with other protocols");
        }
        return future;
    }

    private static void fence(ClassicMember member) {
        ApiException fenced = new FencedInstanceIdException("Static member " + member.groupInstanceId
                + " rejoined with another member id");
        failParked(member, fenced);
    }

    /** Fails the member's parked JoinGroup and SyncGroup, if any. */
    private static void failParked(ClassicMember member, ApiException error) {
        if (member.awaitingJoin != null) {
            member.awaitingJoin.completeExceptionally(error);
            member.awaitingJoin = null;
        }
        failSync(member, error);
    }

    private static void failSync(ClassicMember member, ApiException error) {
        if (member.awaitingSync != null) {
            member.awaitingSync.completeExceptionally(error);
            member.awaitingSync = null;
        }
    }

    private CompletableFuture<JoinGroupResponseData> update(ClassicMember member, JoinGroupRequestData request,
                                                             Map<String, byte[]> protocols) {
        member.rebalanceTimeoutMs = request.rebalanceTimeoutMs() > 0 ? request.rebalanceTimeoutMs() : request.sessionTimeoutMs();
        member.sessionTimeoutMs = request.sessionTimeoutMs();
        member.protocolType = request.protocolType();
        member.protocols = protocols;
        // Every member has the group's protocol type; the first one sets it.
        protocolType = request.protocolType();
        if (member.awaitingJoin != null) {
            member.awaitingJoin.completeExceptionally(new RebalanceInProgressException("A newer JoinGroup replaced this one"));
        }
        member.awaitingJoin = new CompletableFuture<>();
        scheduleSessionTimeout(member);
        return member.awaitingJoin;
    }

    private void expirePending(String memberId) {
        if (members.removePending(memberId)) {
            tryCompleteJoin();
        }
    }

    // ---- rebalance

    private void prepareRebalance(String reason) {
        if (state == COMPLETING_REBALANCE) {
            members.all().forEach(m -> {
                m.clearAssignment();
                failSync(m, new RebalanceInProgressException("Group " + groupId + " is rebalancing"));
            });
        }
        timers.startJoin(state == EMPTY, members.maxRebalanceTimeoutMs(), this::onJoinTimeout);
        log.info("Preparing to rebalance group {} in generation {}: {}", groupId, generationId, reason);
        state = PREPARING_REBALANCE;
        tryCompleteJoin();
    }

    private void onJoinTimeout() {
        if (state != PREPARING_REBALANCE) {
            return;
        }
        if (timers.extendInitialDelay(this::onJoinTimeout)) {
            return;
        }
        completeJoin();
    }

    private void tryCompleteJoin() {
        if (state == PREPARING_REBALANCE && !timers.inInitialDelay() && members.allRejoined()) {
            completeJoin();
        }
    }

    /** Ends the join phase: dynamic members that did not rejoin leave, the next generation starts. */
    private void completeJoin() {
        timers.endJoin();
        for (ClassicMember member : members.snapshot()) {
            if (member.awaitingJoin == null && member.groupInstanceId == null) {
                log.info("Member {} of group {} did not rejoin in time and is removed", member.memberId, groupId);
                members.remove(member);
                member.cancelSessionTimer();
            }
        }
        generationId++;
        if (members.isEmpty()) {
            state = EMPTY;
            emptySinceMs = System.currentTimeMillis();
            protocolName = null;
            leaderId = null;
            persistQuietly();
            return;
        }
        protocolName = members.selectProtocol();
        ClassicMember leader = leaderId == null ? null : members.get(leaderId);
        if (leader == null || leader.awaitingJoin == null) {
            leaderId = members.all().stream().filter(m -> m.awaitingJoin != null).findFirst()
                    .map(m -> m.memberId).orElse(members.first().memberId);
        }
        state = COMPLETING_REBALANCE;
        log.info("Group {} starts generation {} with {} members (protocol {})", groupId, generationId, members.size(),
                protocolName);
        for (ClassicMember member : members.all()) {
            if (member.awaitingJoin != null) {
                CompletableFuture<JoinGroupResponseData> future = member.awaitingJoin;
                member.awaitingJoin = null;
                scheduleSessionTimeout(member);
                future.complete(joinResponse(member));
            }
        }
        timers.startSync(members.maxRebalanceTimeoutMs(), this::onSyncTimeout);
    }

    /** Members that never sent SyncGroup within the rebalance timeout leave, and the group rebalances without them. */
    private void onSyncTimeout() {
        if (state != COMPLETING_REBALANCE) {
            return;
        }
        for (ClassicMember member : members.snapshot()) {
            if (member.awaitingSync == null) {
                removeMember(member, "it did not send SyncGroup in time");
            }
        }
        if (state == COMPLETING_REBALANCE) {
            prepareRebalance("the leader's assignment did not arrive in time");
        }
    }

    private JoinGroupResponseData joinResponse(ClassicMember member) {
        JoinGroupResponseData response = new JoinGroupResponseData()
                .setMemberId(member.memberId)
                .setGenerationId(generationId)
                .setProtocolType(protocolType)
                .setProtocolName(protocolName)
                .setLeader(leaderId);
        if (member.memberId.equals(leaderId)) {
            for (ClassicMember m : members.all()) {
                response.members().add(new JoinGroupResponseMember()
                        .setMemberId(m.memberId)
                        .setGroupInstanceId(m.groupInstanceId)
                        .setMetadata(m.metadata(protocolName)));
            }
        }
        return response;
    }

    private static JoinGroupResponseData joinError(Errors error, String memberId, short version) {
        return new JoinGroupResponseData()
                .setErrorCode(error.code())
                .setMemberId(memberId)
                .setGenerationId(-1)
                .setProtocolName(version >= FIRST_JOIN_VERSION_WITH_NULLABLE_PROTOCOL_NAME ? null : "")
                .setLeader("");
    }

    // ---- SyncGroup, Heartbeat, LeaveGroup

    public CompletableFuture<SyncGroupResponseData> sync(SyncGroupRequestData request) {
        members.validate(groupId, request.memberId(), request.groupInstanceId());
        if (request.generationId() != generationId) {
            throw new IllegalGenerationException("Generation " + request.generationId() + " is not the current "
                    + generationId + " of group " + groupId);
        }
        if ((request.protocolType() != null && !request.protocolType().equals(protocolType))
                || (request.protocolName() != null && !request.protocolName().equals(protocolName))) {
            throw new InconsistentGroupProtocolException("Protocol type or name differ from group " + groupId + "'s");
        }
        ClassicMember member = members.get(request.memberId());
        switch (state) {
            case PREPARING_REBALANCE -> throw new RebalanceInProgressException("Group " + groupId + " is rebalancing");
            case STABLE -> {
                scheduleSessionTimeout(member);
                return CompletableFuture.completedFuture(syncResponse(member));
            }
            case COMPLETING_REBALANCE -> {
                if (member.awaitingSync != null) {
                    member.awaitingSync.completeExceptionally(new RebalanceInProgressException("A newer SyncGroup replaced this one"));
                }
                member.awaitingSync = new CompletableFuture<>();
                scheduleSessionTimeout(member);
                CompletableFuture<SyncGroupResponseData> future = member.awaitingSync;
                if (member.memberId.equals(leaderId)) {
                    applyAssignment(request.assignments());
                }
                return future;
            }
            default -> throw new UnknownMemberIdException("Member " + request.memberId() + " is not in group " + groupId);
        }
    }

    private void applyAssignment(List<SyncGroupRequestAssignment> assignments) {
        Map<String, byte[]> byMember = new HashMap<>();
        assignments.forEach(a -> byMember.put(a.memberId(), a.assignment()));
        members.all().forEach(m -> {
            byte[] assignment = byMember.get(m.memberId);
            if (assignment == null) {
                m.clearAssignment();
            } else {
                m.assignment = assignment;
            }
        });
        // Kafka's order: the group stays CompletingRebalance until the assignment is committed, then answers.
        int generation = generationId;
        persist().whenComplete((written, error) -> {
            if (state != COMPLETING_REBALANCE || generationId != generation) {
                return;
            }
            if (error != null) {
                members.all().forEach(m -> {
                    m.clearAssignment();
                    failSync(m, (ApiException) error);
                });
                return;
            }
            timers.cancelSync();
            state = STABLE;
            shard.rebalanceCompleted();
            members.all().forEach(m -> {
                if (m.awaitingSync != null) {
                    CompletableFuture<SyncGroupResponseData> future = m.awaitingSync;
                    m.awaitingSync = null;
                    future.complete(syncResponse(m));
                }
            });
        });
    }

    private SyncGroupResponseData syncResponse(ClassicMember member) {
        return new SyncGroupResponseData()
                .setProtocolType(protocolType)
                .setProtocolName(protocolName)
                .setAssignment(member.assignment);
    }

    public void heartbeat(String memberId, String instanceId, int generation) {
        if (state == DEAD) {
            throw new CoordinatorNotAvailableException("Group " + groupId + " is being removed");
        }
        members.validate(groupId, memberId, instanceId);
        if (state == EMPTY) {
            throw new UnknownMemberIdException("Group " + groupId + " is empty");
        }
        if (generation != generationId) {
            throw new IllegalGenerationException("Generation " + generation + " is not the current " + generationId);
        }
        scheduleSessionTimeout(members.get(memberId));
        if (state == PREPARING_REBALANCE) {
            throw new RebalanceInProgressException("Group " + groupId + " is rebalancing");
        }
    }

    /** One member of a LeaveGroup: by member id, or by instance id for static members. */
    public Errors leave(String memberId, String instanceId) {
        if (instanceId != null) {
            String current = members.staticMemberId(instanceId);
            if (current == null) {
                return Errors.UNKNOWN_MEMBER_ID;
            }
            if (!memberId.isEmpty() && !memberId.equals(current)) {
                return Errors.FENCED_INSTANCE_ID;
            }
            removeMember(members.get(current), "it left");
            return Errors.NONE;
        }
        if (members.removePending(memberId)) {
            tryCompleteJoin();
            return Errors.NONE;
        }
        ClassicMember member = members.get(memberId);
        if (member == null) {
            return Errors.UNKNOWN_MEMBER_ID;
        }
        removeMember(member, "it left");
        return Errors.NONE;
    }

    private void scheduleSessionTimeout(ClassicMember member) {
        member.cancelSessionTimer();
        member.sessionTimer = shard.schedule(() -> onSessionTimeout(member), member.sessionTimeoutMs);
    }

    private void onSessionTimeout(ClassicMember member) {
        if (members.get(member.memberId) != member) {
            return;
        }
        if (member.awaitingJoin != null || member.awaitingSync != null) {
            // A parked member is waited for by the join / sync timers, not its session.
            scheduleSessionTimeout(member);
            return;
        }
        removeMember(member, "its session timed out");
    }

    private void removeMember(ClassicMember member, String reason) {
        log.info("Member {} leaves group {}: {}", member.memberId, groupId, reason);
        members.remove(member);
        member.cancelSessionTimer();
        ApiException gone = new UnknownMemberIdException("Member " + member.memberId + " left group " + groupId);
        failParked(member, gone);
        if (member.memberId.equals(leaderId)) {
            leaderId = null;
        }
        switch (state) {
            case STABLE, COMPLETING_REBALANCE -> prepareRebalance("member " + member.memberId + " left");
            case PREPARING_REBALANCE -> tryCompleteJoin();
            default -> {
            }
        }
    }

    // ---- offsets, describe

    @Override
    public void validateOffsetCommit(String memberId, String groupInstanceId, int generation) {
        validateCommit(memberId, groupInstanceId, generation, false);
    }

    /**
     * As Kafka: TxnOffsetCommit before v3 carries neither member id nor generation, so a transactional commit without
     * them is accepted whatever the state, and the group's state does not gate transactional commits.
     */
    @Override
    public void validateTransactionalOffsetCommit(String memberId, String groupInstanceId, int generation) {
        validateCommit(memberId, groupInstanceId, generation, true);
    }

    private void validateCommit(String memberId, String groupInstanceId, int generation, boolean transactional) {
        if (state == DEAD) {
            throw new CoordinatorNotAvailableException("Group " + groupId + " is being removed");
        }
        if (generation < 0 && state == EMPTY) {
            return;
        }
        if (generation >= 0 || !memberId.isEmpty() || groupInstanceId != null) {
            members.validate(groupId, memberId, groupInstanceId);
            if (generation != generationId) {
                throw new IllegalGenerationException("Generation " + generation + " is not the current " + generationId
                        + " of group " + groupId);
            }
        } else if (!transactional) {
            throw new UnknownMemberIdException("Group " + groupId + " has members: commits need a member id");
        }
        if (!transactional && state == COMPLETING_REBALANCE) {
            throw new RebalanceInProgressException("Group " + groupId + " is completing a rebalance");
        }
    }

    @Override
    public long emptySinceMs() {
        return emptySinceMs;
    }

    @Override
    public boolean isSubscribedTo(String topic) {
        if (members.isEmpty() || !ConsumerSubscriptions.PROTOCOL_TYPE.equals(protocolType)) {
            return false;
        }
        return members.all().stream().anyMatch(m -> ConsumerSubscriptions.mayInclude(m.metadata(protocolName), topic));
    }

    public DescribedGroup describe() {
        DescribedGroup described = new DescribedGroup()
                .setGroupId(groupId)
                .setGroupState(state.displayName)
                .setProtocolType(protocolType())
                .setProtocolData(state == STABLE ? protocolName : "");
        for (ClassicMember m : members.all()) {
            DescribedGroupMember member = new DescribedGroupMember()
                    .setMemberId(m.memberId)
                    .setGroupInstanceId(m.groupInstanceId)
                    .setClientId(m.clientId)
                    .setClientHost(m.clientHost);
            if (state == STABLE) {
                member.setMemberMetadata(m.metadata(protocolName)).setMemberAssignment(m.assignment);
            }
            described.members().add(member);
        }
        return described;
    }

    // ---- persistence

    @Override
    public List<ByteBuffer> tombstoneKeys() {
        return List.of(GroupRecords.groupKey(GroupRecords.GROUP_METADATA, groupId));
    }

    /** Writes the group's record; completes, under the shard's lock, once it is committed. */
    private CompletableFuture<Void> persist() {
        return shard.write(List.of(GroupRecords.groupKey(GroupRecords.GROUP_METADATA, groupId)), List.of(toRecordValue()),
                null);
    }

    private void persistQuietly() {
        persist().whenComplete((written, error) -> {
            if (error != null) {
                log.warn("Cannot persist group {}: {}", groupId, error.getMessage());
            }
        });
    }

    private ByteBuffer toRecordValue() {
        return new ClassicGroupValue(protocolType, generationId, protocolName, leaderId, emptySinceMs,
                members.toRecord(protocolName)).toBuffer();
    }

    /** A group as its last record left it: Stable with its members (who must heartbeat again), or Empty. */
    static ClassicGroup fromRecord(String groupId, GroupShard shard, ByteBuffer value) {
        ClassicGroupValue saved = ClassicGroupValue.read(value);
        ClassicGroup group = new ClassicGroup(groupId, shard);
        group.protocolType = saved.protocolType();
        group.generationId = saved.generationId();
        group.protocolName = saved.protocolName();
        group.leaderId = saved.leaderId();
        group.emptySinceMs = saved.emptySinceMs();
        group.members.addFromRecord(saved.members(), group.protocolType, group.protocolName);
        group.state = group.members.isEmpty() ? EMPTY : STABLE;
        return group;
    }

    /** After replay: loaded members must heartbeat within their session timeout to stay. */
    void onLoaded() {
        members.all().forEach(this::scheduleSessionTimeout);
    }

    @Override
    public void onUnload() {
        timers.cancelAll();
        members.cancelPending();
        ApiException moved = new NotCoordinatorException("Group " + groupId + " is no longer coordinated here");
        for (ClassicMember m : members.all()) {
            m.cancelSessionTimer();
            failParked(m, moved);
        }
        state = DEAD;
    }
}
