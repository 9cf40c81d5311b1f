package io.runnel.broker.group.consumer;

import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/** One member of a consumer group: what it subscribes to, where it stands in reconciliation, when it expires. */
final class ConsumerGroupMember {
    final String memberId;
    String instanceId;
    String rackId;
    String clientId;
    String clientHost;
    List<String> subscribedTopicNames = List.of();
    Pattern subscribedTopicRegex;
    String serverAssignor;
    int rebalanceTimeoutMs;
    MemberAssignment assignment = MemberAssignment.JOINING;
    /** The epoch before the last bump: a member whose response was lost may still heartbeat with it. */
    int previousEpoch = -1;
    long sessionDeadlineMs;
    boolean sessionTimerPending;
    /** A static member that left with epoch -2: kept with its assignment until its session expires or it returns. */
    boolean staticLeft;

    ConsumerGroupMember(String memberId) {
        this.memberId = memberId;
    }

    /** The epoch the member reports to others: -2 while a static member is away. */
    int visibleEpoch() {
        return staticLeft ? ConsumerGroup.STATIC_LEAVE_EPOCH : assignment.epoch();
    }

    /** Applies the subscription fields a heartbeat sets (null means unchanged); true if the subscription changed. */
    boolean updateSubscription(List<String> topicNames, Pattern regex, String assignor) {
        boolean changed = false;
        if (topicNames != null && !topicNames.equals(subscribedTopicNames)) {
            subscribedTopicNames = List.copyOf(topicNames);
            changed = true;
        }
        if (regex != null && (subscribedTopicRegex == null || !regex.pattern().equals(subscribedTopicRegex.pattern()))) {
            subscribedTopicRegex = regex.pattern().isEmpty() ? null : regex;
            changed = true;
        }
        if (assignor != null && !Objects.equals(assignor, serverAssignor)) {
            serverAssignor = assignor;
            changed = true;
        }
        return changed;
    }

    boolean subscribesTo(String topic) {
        return subscribedTopicNames.contains(topic)
                || (subscribedTopicRegex != null && subscribedTopicRegex.matcher(topic).matches());
    }
}
