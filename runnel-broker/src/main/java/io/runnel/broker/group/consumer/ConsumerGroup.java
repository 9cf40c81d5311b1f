package io.runnel.broker.group.consumer;

import io.runnel.broker.group.Group;
import io.runnel.metadata.MetadataImage;
import io.runnel.metadata.TopicImage;
import org.apache.kafka.common.GroupType;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.FencedInstanceIdException;
import org.apache.kafka.common.errors.FencedMemberEpochException;
import org.apache.kafka.common.errors.GroupMaxSizeReachedException;
import org.apache.kafka.common.errors.StaleMemberEpochException;
import org.apache.kafka.common.errors.UnknownMemberIdException;
import org.apache.kafka.common.errors.UnreleasedInstanceIdException;
import org.apache.kafka.common.message.ConsumerGroupDescribeResponseData;
import org.apache.kafka.common.message.ConsumerGroupDescribeResponseData.DescribedGroup;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatRequestData;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatResponseData;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.LongSupplier;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * A KIP-848 consumer group: members heartbeat their subscriptions, the group epoch moves on every change of membership,
 * subscription or subscribed topics' partitions, the server-side assignor computes the target assignment of that epoch,
 * and each member is reconciled towards its target so that no partition is ever owned by two members.
 *
 * <p>Membership lives in memory only: after the coordinator moves, members rejoin (their heartbeats answer
 * UNKNOWN_MEMBER_ID). Committed offsets are the shard's and persist. Like every {@link Group}, it is used under the
 * shard's lock.
 */
public final class ConsumerGroup implements Group {
    public static final int LEAVE_EPOCH = -1;
    public static final int STATIC_LEAVE_EPOCH = -2;
    private static final Logger log = LoggerFactory.getLogger(ConsumerGroup.class);

    /** Schedules a task under the shard's lock (the shard's {@code schedule}). */
    @FunctionalInterface
    public interface Timer {
        void schedule(Runnable task, long delayMs);
    }

    private final String groupId;
    private final ConsumerGroupConfig config;
    private final Timer timer;
    private final LongSupplier clock;
    /** Told of each group epoch bump: a rebalance, in Kafka's consumer-group-rebalance-rate. */
    private final Runnable rebalanced;
    private final Map<String, ConsumerGroupMember> members = new HashMap<>();
    /** Static members: instance id to member id. */
    private final Map<String, String> staticMembers = new HashMap<>();
    /** Who owns each partition now: its assigned or pending-revocation set holds it. */
    private final Map<TopicPartitionId, String> owners = new HashMap<>();
    private int groupEpoch;
    private int targetEpoch;
    private Map<String, Assignment> target = new HashMap<>();
    /** The subscribed topics' names to their images at the last metadata refresh: a change bumps the group epoch. */
    private Map<String, TopicImage> subscribedTopics = Map.of();
    private MetadataImage lastImage;
    private PartitionAssignor assignor;

    public ConsumerGroup(String groupId, ConsumerGroupConfig config, Timer timer, LongSupplier clock,
                         Runnable rebalanced) {
        this.rebalanced = rebalanced;
        this.groupId = groupId;
        this.config = config;
        this.timer = timer;
        this.clock = clock;
        this.assignor = config.defaultAssignor();
    }

    /**
     * One heartbeat, already checked by {@link HeartbeatValidator}. Throws the protocol's errors as ApiExceptions.
     */
    public ConsumerGroupHeartbeatResponseData heartbeat(ConsumerGroupHeartbeatRequestData request, HeartbeatValidator.Checked checked,
                                                        String clientId, String clientHost, MetadataImage image) {
        int epoch = request.memberEpoch();
        if (epoch == LEAVE_EPOCH || epoch == STATIC_LEAVE_EPOCH) {
            return leave(request.memberId(), epoch);
        }
        long now = clock.getAsLong();
        boolean bump = false;
        ConsumerGroupMember member;
        if (epoch == 0) {
            member = members.get(checked.memberId());
            boolean isNew = member == null;
            member = join(checked.memberId(), request.instanceId());
            bump = isNew && member.assignment.epoch() == 0;
        } else {
            member = members.get(request.memberId());
            if (member == null) {
                throw new UnknownMemberIdException("Member " + request.memberId() + " is not in group " + groupId);
            }
            if (request.instanceId() != null && !request.instanceId().equals(member.instanceId)) {
                throw new FencedInstanceIdException("Member " + request.memberId() + " is not instance " + request.instanceId());
            }
            validateEpoch(member, epoch, checked.reported());
        }
        member.clientId = clientId;
        member.clientHost = clientHost;
        if (request.rackId() != null) {
            member.rackId = request.rackId();
        }
        if (request.rebalanceTimeoutMs() != -1) {
            member.rebalanceTimeoutMs = request.rebalanceTimeoutMs();
        }
        boolean subscriptionChanged = member.updateSubscription(request.subscribedTopicNames(), checked.regex(),
                request.serverAssignor());
        if (refreshSubscribedTopics(image, subscriptionChanged) || subscriptionChanged || bump) {
            bumpGroupEpoch();
        }
        if (targetEpoch < groupEpoch) {
            computeTargetAssignment();
        }
        MemberAssignment before = member.assignment;
        reconcile(member, checked.reported());
        scheduleSessionExpiry(member, now);
        ConsumerGroupHeartbeatResponseData response = new ConsumerGroupHeartbeatResponseData()
                .setMemberId(member.memberId)
                .setMemberEpoch(member.assignment.epoch())
                .setHeartbeatIntervalMs(config.heartbeatIntervalMs());
        boolean full = epoch == 0 || checked.reported() != null;
        if (full || !member.assignment.assigned().equals(before.assigned()) || member.assignment.epoch() != before.epoch()) {
            response.setAssignment(toResponse(member.assignment.assigned()));
        }
        return response;
    }

    private ConsumerGroupMember join(String memberId, String instanceId) {
        ConsumerGroupMember member = members.get(memberId);
        if (instanceId != null) {
            String holderId = staticMembers.get(instanceId);
            ConsumerGroupMember holder = holderId == null ? null : members.get(holderId);
            if (holder != null && !holderId.equals(memberId)) {
                if (!holder.staticLeft) {
                    throw new UnreleasedInstanceIdException("Static member " + instanceId + " of group " + groupId
                            + " is still active as " + holderId);
                }
                // A restarted static member takes over its predecessor's assignment and epoch: no rebalance.
                return replaceStaticMember(holder, memberId);
            }
        }
        if (member == null) {
            if (members.size() >= config.maxSize()) {
                throw new GroupMaxSizeReachedException("Group " + groupId + " has reached its maximum size " + config.maxSize());
            }
            member = new ConsumerGroupMember(memberId);
            members.put(memberId, member);
        } else {
            // The member rejoins after losing its partitions (fenced): it owns nothing any more.
            setAssignment(member, MemberAssignment.JOINING);
        }
        member.staticLeft = false;
        if (instanceId != null) {
            member.instanceId = instanceId;
            staticMembers.put(instanceId, memberId);
        }
        return member;
    }

    private ConsumerGroupMember replaceStaticMember(ConsumerGroupMember previous, String memberId) {
        ConsumerGroupMember member = new ConsumerGroupMember(memberId);
        member.instanceId = previous.instanceId;
        member.subscribedTopicNames = previous.subscribedTopicNames;
        member.subscribedTopicRegex = previous.subscribedTopicRegex;
        member.serverAssignor = previous.serverAssignor;
        member.rebalanceTimeoutMs = previous.rebalanceTimeoutMs;
        member.rackId = previous.rackId;
        MemberAssignment assignment = previous.assignment;
        removeMember(previous);
        members.put(memberId, member);
        staticMembers.put(member.instanceId, memberId);
        setAssignment(member, assignment);
        Assignment targetOfPrevious = target.remove(previous.memberId);
        if (targetOfPrevious != null) {
            target.put(memberId, targetOfPrevious);
        }
        return member;
    }

    private void validateEpoch(ConsumerGroupMember member, int epoch, Assignment reported) {
        int current = member.visibleEpoch();
        if (epoch == current) {
            return;
        }
        // The response that bumped the member may have been lost: its previous epoch is accepted if it owns no more
        // than it is assigned now.
        boolean lostResponse = epoch < current && epoch == member.previousEpoch && reported != null
                && reported.minus(member.assignment.assigned()).isEmpty();
        if (!lostResponse) {
            throw new FencedMemberEpochException("Member " + member.memberId + " of group " + groupId + " sent epoch "
                    + epoch + " but is at epoch " + current);
        }
    }

    private ConsumerGroupHeartbeatResponseData leave(String memberId, int epoch) {
        ConsumerGroupMember member = members.get(memberId);
        if (member == null) {
            throw new UnknownMemberIdException("Member " + memberId + " is not in group " + groupId);
        }
        if (epoch == STATIC_LEAVE_EPOCH && member.instanceId != null) {
            member.staticLeft = true;
            scheduleSessionExpiry(member, clock.getAsLong());
        } else {
            removeMember(member);
            bumpGroupEpoch();
        }
        return new ConsumerGroupHeartbeatResponseData().setMemberId(memberId).setMemberEpoch(epoch)
                .setHeartbeatIntervalMs(config.heartbeatIntervalMs());
    }

    private void bumpGroupEpoch() {
        groupEpoch++;
        rebalanced.run();
    }

    private void removeMember(ConsumerGroupMember member) {
        setAssignment(member, MemberAssignment.JOINING);
        members.remove(member.memberId);
        target.remove(member.memberId);
        if (member.instanceId != null) {
            staticMembers.remove(member.instanceId, member.memberId);
        }
    }

    /** Fences a member that stopped heartbeating, or did not revoke within its rebalance timeout. */
    private void fence(ConsumerGroupMember member, String why) {
        if (members.get(member.memberId) != member) {
            return;
        }
        log.info("Fencing member {} of group {}: {}", member.memberId, groupId, why);
        removeMember(member);
        bumpGroupEpoch();
    }

    private void scheduleSessionExpiry(ConsumerGroupMember member, long now) {
        member.sessionDeadlineMs = now + config.sessionTimeoutMs();
        if (!member.sessionTimerPending) {
            member.sessionTimerPending = true;
            timer.schedule(() -> checkSession(member), config.sessionTimeoutMs());
        }
    }

    // One pending timer per member, re-armed for the remaining time: heartbeats only move the deadline.
    private void checkSession(ConsumerGroupMember member) {
        member.sessionTimerPending = false;
        if (members.get(member.memberId) != member) {
            return;
        }
        long remaining = member.sessionDeadlineMs - clock.getAsLong();
        if (remaining <= 0) {
            fence(member, "session timeout of " + config.sessionTimeoutMs() + " ms expired");
        } else {
            member.sessionTimerPending = true;
            timer.schedule(() -> checkSession(member), remaining);
        }
    }

    private void reconcile(ConsumerGroupMember member, Assignment reported) {
        MemberAssignment before = member.assignment;
        MemberAssignment after = Reconciler.reconcile(before, targetEpoch,
                target.getOrDefault(member.memberId, Assignment.EMPTY), reported,
                (topic, partition) -> isOwnedByOther(member.memberId, topic, partition));
        if (after.equals(before)) {
            return;
        }
        if (after.epoch() != before.epoch()) {
            member.previousEpoch = before.epoch();
        }
        setAssignment(member, after);
        if (after.state() == MemberState.UNREVOKED_PARTITIONS && before.state() != MemberState.UNREVOKED_PARTITIONS) {
            int revocationEpoch = after.epoch();
            timer.schedule(() -> {
                if (members.get(member.memberId) == member && member.assignment.state() == MemberState.UNREVOKED_PARTITIONS
                        && member.assignment.epoch() == revocationEpoch) {
                    fence(member, "partitions not revoked within the rebalance timeout of " + member.rebalanceTimeoutMs + " ms");
                }
            }, member.rebalanceTimeoutMs);
        }
    }

    private boolean isOwnedByOther(String memberId, Uuid topic, int partition) {
        String owner = owners.get(new TopicPartitionId(topic, partition));
        return owner != null && !owner.equals(memberId);
    }

    private void setAssignment(ConsumerGroupMember member, MemberAssignment assignment) {
        member.assignment.owned().partitions().forEach((topic, parts) ->
                parts.forEach(p -> owners.remove(new TopicPartitionId(topic, p), member.memberId)));
        member.assignment = assignment;
        assignment.owned().partitions().forEach((topic, parts) ->
                parts.forEach(p -> owners.put(new TopicPartitionId(topic, p), member.memberId)));
    }

    /** Re-reads the subscribed topics when the metadata or a subscription changed; true if they differ. */
    private boolean refreshSubscribedTopics(MetadataImage image, boolean subscriptionChanged) {
        if (image == lastImage && !subscriptionChanged) {
            return false;
        }
        lastImage = image;
        Map<String, TopicImage> topics = new HashMap<>();
        for (TopicImage topic : image.topicsByName().values()) {
            for (ConsumerGroupMember member : members.values()) {
                if (member.subscribesTo(topic.name()) && !isInternal(topic.name())) {
                    topics.put(topic.name(), topic);
                    break;
                }
            }
        }
        boolean changed = !sameTopics(topics, subscribedTopics);
        subscribedTopics = topics;
        return changed;
    }

    private static boolean sameTopics(Map<String, TopicImage> a, Map<String, TopicImage> b) {
        if (!a.keySet().equals(b.keySet())) {
            return false;
        }
        for (Map.Entry<String, TopicImage> e : a.entrySet()) {
            TopicImage other = b.get(e.getKey());
            if (!other.id().equals(e.getValue().id()) || other.partitions().size() != e.getValue().partitions().size()) {
                return false;
            }
        }
        return true;
    }

    private static boolean isInternal(String topic) {
        return topic.equals("__consumer_offsets") || topic.equals("__transaction_state");
    }

    private void computeTargetAssignment() {
        assignor = chooseAssignor();
        Map<String, Set<Uuid>> subscriptions = new HashMap<>();
        Map<Uuid, Integer> partitionCounts = new HashMap<>();
        for (ConsumerGroupMember member : members.values()) {
            Set<Uuid> topics = new HashSet<>();
            for (TopicImage topic : subscribedTopics.values()) {
                if (member.subscribesTo(topic.name())) {
                    topics.add(topic.id());
                    partitionCounts.put(topic.id(), topic.partitions().size());
                }
            }
            subscriptions.put(member.memberId, topics);
        }
        target = new HashMap<>(assignor.assign(subscriptions, partitionCounts, target));
        targetEpoch = groupEpoch;
    }

    /** The assignor most members ask for; the broker's default when none asks. */
    private PartitionAssignor chooseAssignor() {
        return members.values().stream()
                .map(m -> m.serverAssignor == null ? null : config.assignor(m.serverAssignor))
                .filter(Objects::nonNull)
                .collect(Collectors.groupingBy(PartitionAssignor::name, TreeMap::new, Collectors.toList()))
                .values().stream()
                .max((a, b) -> Integer.compare(a.size(), b.size()))
                .map(list -> list.get(0))
                .orElse(config.defaultAssignor());
    }

    private static ConsumerGroupHeartbeatResponseData.Assignment toResponse(Assignment assignment) {
        List<ConsumerGroupHeartbeatResponseData.TopicPartitions> topics = new ArrayList<>();
        assignment.partitions().forEach((topic, parts) -> topics.add(new ConsumerGroupHeartbeatResponseData.TopicPartitions()
                .setTopicId(topic).setPartitions(new ArrayList<>(parts))));
        return new ConsumerGroupHeartbeatResponseData.Assignment().setTopicPartitions(topics);
    }

    public DescribedGroup describe(MetadataImage image) {
        DescribedGroup described = new DescribedGroup()
                .setGroupId(groupId)
                .setGroupState(stateName())
                .setGroupEpoch(groupEpoch)
                .setAssignmentEpoch(targetEpoch)
                .setAssignorName(assignor.name());
        Function<Uuid, String> topicName = id -> {
            TopicImage topic = image.topicsById().get(id);
            return topic == null ? "" : topic.name();
        };
        for (ConsumerGroupMember m : new TreeMap<>(members).values()) {
            described.members().add(new ConsumerGroupDescribeResponseData.Member()
                    .setMemberId(m.memberId)
                    .setInstanceId(m.instanceId)
                    .setRackId(m.rackId)
                    .setMemberEpoch(m.visibleEpoch())
                    .setClientId(m.clientId)
                    .setClientHost(m.clientHost)
                    .setSubscribedTopicNames(m.subscribedTopicNames)
                    .setSubscribedTopicRegex(m.subscribedTopicRegex == null ? null : m.subscribedTopicRegex.pattern())
                    .setAssignment(toDescribe(m.assignment.assigned(), topicName))
                    .setTargetAssignment(toDescribe(target.getOrDefault(m.memberId, Assignment.EMPTY), topicName))
                    .setMemberType((byte) 1));
        }
        return described;
    }

    private static ConsumerGroupDescribeResponseData.Assignment toDescribe(Assignment assignment,
                                                                          Function<Uuid, String> topicName) {
        List<ConsumerGroupDescribeResponseData.TopicPartitions> topics = new ArrayList<>();
        assignment.partitions().forEach((topic, parts) -> topics.add(new ConsumerGroupDescribeResponseData.TopicPartitions()
                .setTopicId(topic).setTopicName(topicName.apply(topic)).setPartitions(new ArrayList<>(parts))));
        return new ConsumerGroupDescribeResponseData.Assignment().setTopicPartitions(topics);
    }

    /** Every member's current assignment, by member id. */
    public Map<String, Assignment> currentAssignments() {
        Map<String, Assignment> result = new TreeMap<>();
        members.forEach((id, m) -> result.put(id, m.assignment.assigned()));
        return result;
    }

    public int groupEpoch() {
        return groupEpoch;
    }

    @Override
    public String groupId() {
        return groupId;
    }

    @Override
    public GroupType type() {
        return GroupType.CONSUMER;
    }

    @Override
    public String stateName() {
        if (members.isEmpty()) {
            return "Empty";
        }
        if (targetEpoch < groupEpoch) {
            return "Assigning";
        }
        for (ConsumerGroupMember m : members.values()) {
            if (m.assignment.epoch() != targetEpoch || m.assignment.state() != MemberState.STABLE) {
                return "Reconciling";
            }
        }
        return "Stable";
    }

    @Override
    public String protocolType() {
        return "consumer";
    }

    @Override
    public boolean isEmpty() {
        return members.isEmpty();
    }

    @Override
    public void validateOffsetCommit(String memberId, String groupInstanceId, int memberEpoch) {
        if (memberEpoch < 0 && (memberId == null || memberId.isEmpty())) {
            return;
        }
        validateMember(memberId, memberEpoch);
    }

    @Override
    public void validateOffsetFetch(String memberId, int memberEpoch) {
        if (memberEpoch < 0 && (memberId == null || memberId.isEmpty())) {
            return;
        }
        validateMember(memberId, memberEpoch);
    }

    private void validateMember(String memberId, int memberEpoch) {
        ConsumerGroupMember member = members.get(memberId);
        if (member == null) {
            throw new UnknownMemberIdException("Member " + memberId + " is not in group " + groupId);
        }
        if (memberEpoch != member.assignment.epoch()) {
            throw new StaleMemberEpochException("Member " + memberId + " of group " + groupId + " is at epoch "
                    + member.assignment.epoch() + ", not " + memberEpoch);
        }
    }

    @Override
    public boolean isSubscribedTo(String topic) {
        return members.values().stream().anyMatch(m -> m.subscribesTo(topic));
    }
}
