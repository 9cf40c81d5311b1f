package io.runnel.metadata;

import io.runnel.metadata.record.AccessControlEntryRecord;
import io.runnel.metadata.record.ClientQuotaRecord;
import io.runnel.metadata.record.ConfigRecord;
import io.runnel.metadata.record.MetadataRecord;
import io.runnel.metadata.record.PartitionRecord;
import io.runnel.metadata.record.ProducerIdsRecord;
import io.runnel.metadata.record.QuorumMemberRecord;
import io.runnel.metadata.record.RegisterBrokerRecord;
import io.runnel.metadata.record.ScramCredentialRecord;
import io.runnel.metadata.record.TopicRecord;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.quota.ClientQuotaEntity;

/**
 * The cluster metadata as of one applied log entry. Immutable: a change builds a new image through
 * {@link MetadataDelta}, copying only the maps it touches, so publishing is a volatile write.
 */
public final class MetadataImage {
    private final String clusterId;
    private final long lastAppliedOffset;
    private final Map<Integer, BrokerRegistration> brokers;
    private final Map<String, TopicImage> topicsByName;
    private final Map<Uuid, TopicImage> topicsById;
    private final Map<String, Map<String, String>> topicConfigs;
    private final Map<String, Map<String, String>> brokerConfigs;
    private final Map<String, Map<String, String>> scramCredentials;
    private final Map<Uuid, AccessControlEntryRecord> acls;
    private final Map<ClientQuotaEntity, Map<String, Double>> clientQuotas;
    private final long nextProducerId;
    private final Map<Integer, Uuid> quorumDirectories;

    MetadataImage(String clusterId, long lastAppliedOffset, Map<Integer, BrokerRegistration> brokers,
                  Map<String, TopicImage> topicsByName, Map<Uuid, TopicImage> topicsById,
                  Map<String, Map<String, String>> topicConfigs, Map<String, Map<String, String>> brokerConfigs,
                  Map<String, Map<String, String>> scramCredentials, Map<Uuid, AccessControlEntryRecord> acls,
                  Map<ClientQuotaEntity, Map<String, Double>> clientQuotas, long nextProducerId,
                  Map<Integer, Uuid> quorumDirectories) {
        this.clusterId = clusterId;
        this.lastAppliedOffset = lastAppliedOffset;
        this.brokers = brokers;
        this.topicsByName = topicsByName;
        this.topicsById = topicsById;
        this.topicConfigs = topicConfigs;
        this.brokerConfigs = brokerConfigs;
        this.scramCredentials = scramCredentials;
        this.acls = acls;
        this.clientQuotas = clientQuotas;
        this.nextProducerId = nextProducerId;
        this.quorumDirectories = quorumDirectories;
    }

    public static MetadataImage empty(String clusterId) {
        return new MetadataImage(clusterId, -1L, Map.of(), Map.of(), Map.of(), Map.of(), Map.of(), Map.of(),
                Map.of(), Map.of(), 0L, Map.of());
    }

    public String clusterId() {
        return clusterId;
    }

    /** The Ratis log index of the last entry applied to this image; -1 for an empty image. */
    public long lastAppliedOffset() {
        return lastAppliedOffset;
    }

    public Map<Integer, BrokerRegistration> brokers() {
        return brokers;
    }

    public Map<String, TopicImage> topicsByName() {
        return topicsByName;
    }

    public Map<Uuid, TopicImage> topicsById() {
        return topicsById;
    }

    /** The topic's config overrides (not defaults); empty if none. */
    public Map<String, String> topicConfigs(String topic) {
        return topicConfigs.getOrDefault(topic, Map.of());
    }

    /** A broker's dynamic config overrides; the empty string names the cluster-wide default resource. */
    public Map<String, String> brokerConfigs(String brokerIdOrEmptyForDefault) {
        return brokerConfigs.getOrDefault(brokerIdOrEmptyForDefault, Map.of());
    }

    /**
     * A user's SCRAM credentials, by mechanism name ({@code SCRAM-SHA-256}), each in Kafka's string form
     * ({@code salt=...,stored_key=...,server_key=...,iterations=...}); empty if none.
     */
    public Map<String, String> scramCredentials(String user) {
        return scramCredentials.getOrDefault(user, Map.of());
    }

    /** The users that have SCRAM credentials. */
    public Set<String> scramUsers() {
        return scramCredentials.keySet();
    }

    /** The ACLs, by id. */
    public Map<Uuid, AccessControlEntryRecord> acls() {
        return acls;
    }

    /**
     * The client quotas (such as {@code producer_byte_rate}) set on each entity: a user, a client id, a user and
     * client id, or a default of these (a null name).
     */
    public Map<ClientQuotaEntity, Map<String, Double>> clientQuotas() {
        return clientQuotas;
    }

    /** The first producer id not yet handed out. */
    public long nextProducerId() {
        return nextProducerId;
    }

    /**
     * The metadata directory id of each node that follows the metadata log, by node id, as the node registered it
     * when it started (see {@link QuorumMemberRecord}).
     */
    public Map<Integer, Uuid> quorumDirectories() {
        return quorumDirectories;
    }

    /** The records that rebuild this image from an empty one, in a stable order: a snapshot's content. */
    public List<MetadataRecord> toRecords() {
        List<MetadataRecord> records = new ArrayList<>();
        for (BrokerRegistration b : new TreeMap<>(brokers).values()) {
            records.add(new RegisterBrokerRecord(b.nodeId(), b.endpoints(), b.rack(), b.fenced(), b.brokerEpoch(),
                    b.incarnationId()));
        }
        for (TopicImage t : new TreeMap<>(topicsByName).values()) {
            records.add(new TopicRecord(t.name(), t.id()));
            new TreeMap<>(t.partitions()).forEach((p, r) -> records.add(new PartitionRecord(t.id(), p, r)));
        }
        addConfigRecords(records, ConfigResource.Type.TOPIC, topicConfigs);
        addConfigRecords(records, ConfigResource.Type.BROKER, brokerConfigs);
        new TreeMap<>(scramCredentials).forEach((user, credentials) -> new TreeMap<>(credentials)
                .forEach((mechanism, credential) -> records.add(new ScramCredentialRecord(user, mechanism, credential))));
        new TreeMap<>(acls).values().forEach(records::add);
        clientQuotas.entrySet().stream().sorted(Comparator.comparing(e -> new TreeMap<>(e.getKey().entries()).toString()))
                .forEach(e -> new TreeMap<>(e.getValue())
                        .forEach((key, value) -> records.add(new ClientQuotaRecord(e.getKey(), key, value))));
        records.add(new ProducerIdsRecord(-1, nextProducerId));
        new TreeMap<>(quorumDirectories).forEach((node, directory) -> records.add(new QuorumMemberRecord(node, directory)));
        return records;
    }

    private static void addConfigRecords(List<MetadataRecord> records, ConfigResource.Type type,
                                         Map<String, Map<String, String>> configs) {
        new TreeMap<>(configs).forEach((resource, entries) -> new TreeMap<>(entries)
                .forEach((key, value) -> records.add(new ConfigRecord(type, resource, key, value))));
    }

    Map<String, Map<String, String>> allTopicConfigs() {
        return topicConfigs;
    }

    Map<String, Map<String, String>> allBrokerConfigs() {
        return brokerConfigs;
    }

    Map<String, Map<String, String>> allScramCredentials() {
        return scramCredentials;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MetadataImage m && clusterId.equals(m.clusterId) && lastAppliedOffset == m.lastAppliedOffset
                && nextProducerId == m.nextProducerId && brokers.equals(m.brokers) && topicsByName.equals(m.topicsByName)
                && topicConfigs.equals(m.topicConfigs) && brokerConfigs.equals(m.brokerConfigs)
                && scramCredentials.equals(m.scramCredentials) && acls.equals(m.acls)
                && clientQuotas.equals(m.clientQuotas) && quorumDirectories.equals(m.quorumDirectories);
    }

    @Override
    public int hashCode() {
        return clusterId.hashCode() * 31 + Long.hashCode(lastAppliedOffset);
    }

    @Override
    public String toString() {
        return "MetadataImage[clusterId=" + clusterId + ", lastAppliedOffset=" + lastAppliedOffset + ", brokers="
                + brokers.keySet() + ", topics=" + topicsByName.keySet() + ", nextProducerId=" + nextProducerId + "]";
    }
}
