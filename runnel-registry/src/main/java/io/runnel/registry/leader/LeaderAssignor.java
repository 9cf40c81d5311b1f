package io.runnel.registry.leader;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.ConsumerPartitionAssignor;
import org.apache.kafka.common.Cluster;
import org.apache.kafka.common.Configurable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Elects the registry's leader inside a Kafka consumer group, as Confluent's registry does with its own group
 * protocol: each member's subscription carries its URL and {@code leader.eligibility}; whichever member the
 * coordinator asks to assign picks the eligible member with the lowest URL and tells every member who it is. No
 * partition is assigned: the group is only a membership. Members with the same URL elect no one (they could not
 * forward to each other), as Confluent refuses duplicate URLs.
 */
public final class LeaderAssignor implements ConsumerPartitionAssignor, Configurable {
    /** The consumer property that hands this assignor its {@link LeaderElection} (the consumer instantiates it). */
    static final String ELECTION_CONFIG = "runnel.schema.registry.election";
    private static final Logger LOG = LoggerFactory.getLogger(LeaderAssignor.class);

    private LeaderElection election;

    @Override
    public void configure(Map<String, ?> configs) {
        election = (LeaderElection) configs.get(ELECTION_CONFIG);
    }

    @Override
    public String name() {
        return "schema-registry-leader";
    }

    @Override
    public ByteBuffer subscriptionUserData(Set<String> topics) {
        return json(new JsonObject().put("url", election.url()).put("eligible", election.eligible()));
    }

    @Override
    public GroupAssignment assign(Cluster metadata, GroupSubscription subscriptions) {
        String leaderMember = null;
        String leaderUrl = null;
        Map<String, String> urls = new HashMap<>();
        for (Map.Entry<String, Subscription> member : subscriptions.groupSubscription().entrySet()) {
            JsonObject identity = parse(member.getValue().userData());
            String url = identity.getString("url");
            if (url == null) {
                continue;
            }
            String sameUrl = urls.put(url, member.getKey());
            if (sameUrl != null) {
                LOG.error("Two schema registry instances of group {} have the URL {}: no leader is elected; give "
                        + "each its own host.name or listener port", election.groupId(), url);
                leaderMember = null;
                break;
            }
            if (identity.getBoolean("eligible", false) && (leaderUrl == null || url.compareTo(leaderUrl) < 0)) {
                leaderMember = member.getKey();
                leaderUrl = url;
            }
        }
        JsonObject outcome = new JsonObject().put("leader_member", leaderMember)
                .put("leader_url", leaderMember == null ? null : leaderUrl);
        Map<String, Assignment> assignments = new HashMap<>();
        subscriptions.groupSubscription().keySet().forEach(member -> assignments.put(member,
                new Assignment(List.of(), json(outcome))));
        return new GroupAssignment(assignments);
    }

    @Override
    public void onAssignment(Assignment assignment, ConsumerGroupMetadata metadata) {
        JsonObject outcome = parse(assignment.userData());
        String leaderMember = outcome.getString("leader_member");
        election.elected(leaderMember == null ? null : outcome.getString("leader_url"),
                metadata.memberId().equals(leaderMember), metadata.generationId());
    }

    private static ByteBuffer json(JsonObject object) {
        return ByteBuffer.wrap(object.toBuffer().getBytes());
    }

    private static JsonObject parse(ByteBuffer data) {
        if (data == null || !data.hasRemaining()) {
            return new JsonObject();
        }
        byte[] bytes = new byte[data.remaining()];
        data.duplicate().get(bytes);
        return new JsonObject(Buffer.buffer(bytes));
    }
}
