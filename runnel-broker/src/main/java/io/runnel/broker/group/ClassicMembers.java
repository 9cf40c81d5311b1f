package io.runnel.broker.group;

import io.netty.util.Timeout;
import org.apache.kafka.common.errors.FencedInstanceIdException;
import org.apache.kafka.common.errors.UnknownMemberIdException;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Who is in a classic group: its members in join order, static members by instance id, and KIP-394 pending ids. */
final class ClassicMembers {
    private final Map<String, ClassicMember> members = new LinkedHashMap<>();
    private final Map<String, String> staticMembers = new HashMap<>();
    /** KIP-394: member ids handed out with MEMBER_ID_REQUIRED, each expiring after its session timeout. */
    private final Map<String, Timeout> pendingMembers = new HashMap<>();

    ClassicMember get(String memberId) {
        return members.get(memberId);
    }

    /** The members in join order; a live view. */
    Collection<ClassicMember> all() {
        return members.values();
    }

    /** A copy of the members, for loops that remove some. */
    List<ClassicMember> snapshot() {
        return new ArrayList<>(members.values());
    }

    ClassicMember first() {
        return members.values().iterator().next();
    }

    boolean isEmpty() {
        return members.isEmpty();
    }

    int size() {
        return members.size();
    }

    void add(ClassicMember member) {
        members.put(member.memberId, member);
        if (member.groupInstanceId != null) {
            staticMembers.put(member.groupInstanceId, member.memberId);
        }
    }

    void remove(ClassicMember member) {
        members.remove(member.memberId);
        if (member.groupInstanceId != null && member.memberId.equals(staticMembers.get(member.groupInstanceId))) {
            staticMembers.remove(member.groupInstanceId);
        }
    }

    /** The member id a static member has now, or null. */
    String staticMemberId(String instanceId) {
        return staticMembers.get(instanceId);
    }

    /** Throws unless the member is in the group and, if static, still holds its instance id. */
    void validate(String groupId, String memberId, String instanceId) {
        if (instanceId != null) {
            String current = staticMembers.get(instanceId);
            if (current != null && !current.equals(memberId)) {
                throw new FencedInstanceIdException("Static member " + instanceId + " now has another member id");
            }
        }
        if (!members.containsKey(memberId)) {
            throw new UnknownMemberIdException("Member " + memberId + " is not in group " + groupId);
        }
    }

    /** Whether a member with this protocol type and these protocols may join (the group's protocol type given). */
    boolean supports(String groupProtocolType, String memberProtocolType, Map<String, byte[]> protocols) {
        if (members.isEmpty()) {
            return memberProtocolType != null && !memberProtocolType.isEmpty() && !protocols.isEmpty();
        }
        return memberProtocolType.equals(groupProtocolType)
                && protocols.keySet().stream().anyMatch(p -> members.values().stream().allMatch(m -> m.protocols.containsKey(p)));
    }

    /** Each member votes for its preferred protocol among those all members support (Kafka's rule). */
    String selectProtocol() {
        List<String> candidates = first().protocols.keySet().stream()
                .filter(p -> members.values().stream().allMatch(m -> m.protocols.containsKey(p)))
                .toList();
        Map<String, Integer> votes = new LinkedHashMap<>();
        for (ClassicMember member : members.values()) {
            member.protocols.keySet().stream().filter(candidates::contains).findFirst()
                    .ifPresent(p -> votes.merge(p, 1, Integer::sum));
        }
        return votes.entrySet().stream().max(Map.Entry.comparingByValue()).map(Map.Entry::getKey)
                .orElse(candidates.isEmpty() ? null : candidates.get(0));
    }

    long maxRebalanceTimeoutMs() {
        return members.values().stream().mapToLong(m -> m.rebalanceTimeoutMs).max().orElse(0);
    }

    /** Every member has a JoinGroup parked and no pending member id is outstanding. */
    boolean allRejoined() {
        return pendingMembers.isEmpty() && members.values().stream().allMatch(m -> m.awaitingJoin != null);
    }

    /** Members and pending member ids together, as group.max.size counts them. */
    int sizeWithPending() {
        return members.size() + pendingMembers.size();
    }

    boolean hasPending() {
        return !pendingMembers.isEmpty();
    }

    void addPending(String memberId, Timeout expiry) {
        pendingMembers.put(memberId, expiry);
    }

    /** Removes a pending member id and cancels its expiry; false if it was not pending. */
    boolean removePending(String memberId) {
        Timeout expiry = pendingMembers.remove(memberId);
        if (expiry == null) {
            return false;
        }
        expiry.cancel();
        return true;
    }

    void cancelPending() {
        pendingMembers.values().forEach(Timeout::cancel);
    }

    /** The members as the group's record saves them: with the metadata of the group's protocol only. */
    List<ClassicGroupValue.Member> toRecord(String protocolName) {
        List<ClassicGroupValue.Member> saved = new ArrayList<>(members.size());
        for (ClassicMember m : members.values()) {
            saved.add(new ClassicGroupValue.Member(m.memberId, m.groupInstanceId, m.clientId, m.clientHost,
                    m.rebalanceTimeoutMs, m.sessionTimeoutMs, m.metadata(protocolName), m.assignment));
        }
        return saved;
    }

    /** Adds the members a group record saved, each with the group's protocol as its only one. */
    void addFromRecord(List<ClassicGroupValue.Member> saved, String protocolType, String protocolName) {
        for (ClassicGroupValue.Member s : saved) {
            ClassicMember m = new ClassicMember(s.memberId(), s.groupInstanceId());
            m.clientId = s.clientId();
            m.clientHost = s.clientHost();
            m.rebalanceTimeoutMs = s.rebalanceTimeoutMs();
            m.sessionTimeoutMs = s.sessionTimeoutMs();
            m.protocolType = protocolType;
            m.protocols.put(protocolName, s.metadata());
            m.assignment = s.assignment();
            add(m);
        }
    }
}
