package io.runnel.broker.group.consumer;

import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.InvalidRegularExpression;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.errors.UnsupportedAssignorException;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatRequestData;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** The checks Kafka makes on a ConsumerGroupHeartbeat before it touches the group, and the request's parsed parts. */
public final class HeartbeatValidator {
    private HeartbeatValidator() {
    }

    /**
     * @param memberId the member id: the client's, or one generated for a v0 join without one
     * @param reported the partitions the member says it owns, or null if unchanged since its last heartbeat
     * @param regex the subscribed topic regex, or null if unchanged
     */
    public record Checked(String memberId, Assignment reported, Pattern regex) {
    }

    public static Checked check(ConsumerGroupHeartbeatRequestData request, short version, ConsumerGroupConfig config) {
        int epoch = request.memberEpoch();
        if (request.groupId() == null || request.groupId().isEmpty()) {
            throw new InvalidRequestException("GroupId can't be empty.");
        }
        if (request.instanceId() != null && request.instanceId().isEmpty()) {
            throw new InvalidRequestException("InstanceId can't be empty.");
        }
        if (request.rackId() != null && request.rackId().isEmpty()) {
            throw new InvalidRequestException("RackId can't be empty.");
        }
        String memberId = request.memberId();
        boolean noMemberId = memberId == null || memberId.isEmpty();
        // Since v1 (KIP-1082) the client generates its member id; v0 joins may leave it to the coordinator.
        if (noMemberId && (version >= 1 || epoch != 0)) {
            throw new InvalidRequestException("MemberId can't be empty.");
        }
        if (epoch < ConsumerGroup.STATIC_LEAVE_EPOCH) {
            throw new InvalidRequestException("MemberEpoch is invalid.");
        }
        if (epoch == ConsumerGroup.STATIC_LEAVE_EPOCH && request.instanceId() == null) {
            throw new InvalidRequestException("InstanceId can't be null when MemberEpoch is -2.");
        }
        if (epoch == 0) {
            if (request.rebalanceTimeoutMs() == -1) {
                throw new InvalidRequestException("RebalanceTimeoutMs must be provided in first request.");
            }
            if (request.topicPartitions() == null || !request.topicPartitions().isEmpty()) {
                throw new InvalidRequestException("TopicPartitions must be empty when (re-)joining.");
            }
            if (request.subscribedTopicNames() == null && request.subscribedTopicRegex() == null) {
                throw new InvalidRequestException("SubscribedTopicNames or SubscribedTopicRegex must be set in first request.");
            }
        }
        if (request.serverAssignor() != null && config.assignor(request.serverAssignor()) == null) {
            throw new UnsupportedAssignorException("ServerAssignor " + request.serverAssignor() + " is not supported. "
                    + "Supported assignors: " + config.assignors().stream().map(PartitionAssignor::name).toList() + ".");
        }
        return new Checked(noMemberId ? Uuid.randomUuid().toString() : memberId, reported(request), regex(request));
    }

    private static Assignment reported(ConsumerGroupHeartbeatRequestData request) {
        if (request.topicPartitions() == null) {
            return null;
        }
        Map<Uuid, Set<Integer>> owned = new HashMap<>();
        request.topicPartitions().forEach(t -> owned.computeIfAbsent(t.topicId(), id -> new TreeSet<>()).addAll(t.partitions()));
        return Assignment.of(owned);
    }

    private static Pattern regex(ConsumerGroupHeartbeatRequestData request) {
        if (request.subscribedTopicRegex() == null) {
            return null;
        }
        try {
            return Pattern.compile(request.subscribedTopicRegex());
        } catch (PatternSyntaxException e) {
            throw new InvalidRegularExpression("SubscribedTopicRegex " + request.subscribedTopicRegex()
                    + " is not a valid regular expression: " + e.getDescription());
        }
    }
}
