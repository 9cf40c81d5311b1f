package io.runnel.metadata;

import io.runnel.metadata.record.AccessControlEntryRecord;
import io.runnel.metadata.record.BrokerRegistrationChangeRecord;
import io.runnel.metadata.record.ClientQuotaRecord;
import io.runnel.metadata.record.ConfigRecord;
import io.runnel.metadata.record.MetadataRecord;
import io.runnel.metadata.record.PartitionChangeRecord;
import io.runnel.metadata.record.PartitionRecord;
import io.runnel.metadata.record.ProducerIdsRecord;
import io.runnel.metadata.record.RegisterBrokerRecord;
import io.runnel.metadata.record.RemoveAccessControlEntryRecord;
import io.runnel.metadata.record.RemoveTopicRecord;
import io.runnel.metadata.record.ScramCredentialRecord;
import io.runnel.metadata.record.TopicRecord;
import io.runnel.metadata.record.QuorumMemberRecord;
import io.runnel.metadata.record.UnregisterBrokerRecord;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.quota.ClientQuotaEntity;

/**
 * Records replayed on top of an image, producing the next image. Only what the records touch is copied.
 * Replay is deterministic and total: a record that refers to something absent (or would duplicate a topic)
 * is ignored, identically on every node.
 */
public final class MetadataDelta {
    private final MetadataImage base;
    private Map<Integer, BrokerRegistration> brokers;
    private final Map<Uuid, TopicBuilder> touchedTopics = new HashMap<>();
    private final Set<Uuid> removedTopics = new HashSet<>();
    private Map<String, Map<String, String>> topicConfigs;
    private Map<String, Map<String, String>> brokerConfigs;
    private Map<String, Map<String, String>> scramCredentials;
    private Map<Uuid, AccessControlEntryRecord> acls;
    private Map<ClientQuotaEntity, Map<String, Double>> clientQuotas;
    private long nextProducerId;
    private Map<Integer, Uuid> quorumDirectories;

    private static final class TopicBuilder {
        final String name;
        final Uuid id;
        final Map<Integer, PartitionRegistration> partitions;

        TopicBuilder(String name, Uuid id, Map<Integer, PartitionRegistration> partitions) {
            this.name = name;
            this.id = id;
            this.partitions = new HashMap<>(partitions);
        }
    }

    public MetadataDelta(MetadataImage base) {
        this.base = base;
        this.nextProducerId = base.nextProducerId();
    }

    public void replay(MetadataRecord record) {
        if (record instanceof RegisterBrokerRecord r) {
            mutableBrokers().put(r.nodeId(), new BrokerRegistration(r.nodeId(), r.endpoints(), r.rack(), r.fenced(),
                    r.brokerEpoch(), r.incarnationId()));
        } else if (record instanceof BrokerRegistrationChangeRecord r) {
            BrokerRegistration broker = (brokers == null ? base.brokers() : brokers).get(r.brokerId());
            if (broker != null && broker.brokerEpoch() == r.brokerEpoch()) {
                mutableBrokers().put(r.brokerId(), broker.withFenced(r.fenced()));
            }
        } else if (record instanceof UnregisterBrokerRecord r) {
            BrokerRegistration broker = (brokers == null ? base.brokers() : brokers).get(r.brokerId());
            if (broker != null && broker.brokerEpoch() == r.brokerEpoch()) {
                mutableBrokers().remove(r.brokerId());
            }
        } else if (record instanceof TopicRecord r) {
            if (topic(r.topicId()) == null && !nameInUse(r.name())) {
                touchedTopics.put(r.topicId(), new TopicBuilder(r.name(), r.topicId(), Map.of()));
                removedTopics.remove(r.topicId());
            }
        } else if (record instanceof PartitionRecord r) {
            TopicBuilder topic = topic(r.topicId());
            if (topic != null) {
                topic.partitions.put(r.partition(), r.registration());
            }
        } else if (record instanceof PartitionChangeRecord r) {
            replayPartitionChange(r);
        } else if (record instanceof RemoveTopicRecord r) {
            TopicBuilder topic = topic(r.topicId());
            if (topic != null) {
                touchedTopics.remove(r.topicId());
                removedTopics.add(r.topicId());
                topicConfigs = withoutResource(topicConfigs, base.allTopicConfigs(), topic.name);
            }
        } else if (record instanceof ConfigRecord r) {
            if (r.resourceType() == ConfigResource.Type.TOPIC) {
                topicConfigs = withConfig(topicConfigs, base.allTopicConfigs(), r);
            } else if (r.resourceType() == ConfigResource.Type.BROKER) {
                brokerConfigs = withConfig(brokerConfigs, base.allBrokerConfigs(), r);
            }
        } else if (record instanceof ScramCredentialRecord r) {
            scramCredentials = withEntry(scramCredentials, base.allScramCredentials(), r.user(), r.mechanism(),
                    r.credential());
        } else if (record instanceof AccessControlEntryRecord r) {
            mutableAcls().put(r.id(), r);
        } else if (record instanceof RemoveAccessControlEntryRecord r) {
            mutableAcls().remove(r.id());
        } else if (record instanceof ClientQuotaRecord r) {
            replayClientQuota(r);
        } else if (record instanceof ProducerIdsRecord r) {
            nextProducerId = Math.max(nextProducerId, r.nextProducerId());
        } else if (record instanceof QuorumMemberRecord r) {
            if (quorumDirectories == null) {
                quorumDirectories = new HashMap<>(base.quorumDirectories());
            }
            quorumDirectories.put(r.nodeId(), r.directoryId());
        }
    }

    /** The image after every replayed record, as of log index {@code offset}. */
    public MetadataImage apply(long offset) {
        Map<String, TopicImage> byName = base.topicsByName();
        Map<Uuid, TopicImage> byId = base.topicsById();
        if (!touchedTopics.isEmpty() || !removedTopics.isEmpty()) {
            Map<String, TopicImage> names = new HashMap<>(byName);
            Map<Uuid, TopicImage> ids = new HashMap<>(byId);
            for (Uuid removed : removedTopics) {
                TopicImage old = ids.remove(removed);
                if (old != null) {
                    names.remove(old.name());
                }
            }
            for (TopicBuilder t : touchedTopics.values()) {
                TopicImage topic = new TopicImage(t.name, t.id, t.partitions);
                names.put(t.name, topic);
                ids.put(t.id, topic);
            }
            byName = Collections.unmodifiableMap(names);
            byId = Collections.unmodifiableMap(ids);
        }
        return new MetadataImage(base.clusterId(), offset,
                brokers == null ? base.brokers() : Collections.unmodifiableMap(brokers), byName, byId,
                topicConfigs == null ? base.allTopicConfigs() : Collections.unmodifiableMap(topicConfigs),
                brokerConfigs == null ? base.allBrokerConfigs() : Collections.unmodifiableMap(brokerConfigs),
                scramCredentials == null ? base.allScramCredentials() : Collections.unmodifiableMap(scramCredentials),
                acls == null ? base.acls() : Collections.unmodifiableMap(acls),
                clientQuotas == null ? base.clientQuotas() : Collections.unmodifiableMap(clientQuotas), nextProducerId,
                quorumDirectories == null ? base.quorumDirectories() : Collections.unmodifiableMap(quorumDirectories));
    }

    private void replayPartitionChange(PartitionChangeRecord r) {
        TopicBuilder topic = topic(r.topicId());
        PartitionRegistration old = topic == null ? null : topic.partitions.get(r.partition());
        if (old == null) {
            return;
        }
        boolean leaderChanged = r.leader() != PartitionChangeRecord.NO_LEADER_CHANGE && r.leader() != old.leader();
        topic.partitions.put(r.partition(), new PartitionRegistration(
                r.replicas() == null ? old.replicas() : r.replicas(),
                r.isr() == null ? old.isr() : r.isr(),
                leaderChanged ? r.leader() : old.leader(),
                leaderChanged ? old.leaderEpoch() + 1 : old.leaderEpoch(),
                old.partitionEpoch() + 1,
                r.addingReplicas() == null ? old.addingReplicas() : r.addingReplicas(),
                r.removingReplicas() == null ? old.removingReplicas() : r.removingReplicas(),
                r.elr() == null ? old.elr() : r.elr(),
                r.lastKnownElr() == null ? old.lastKnownElr() : r.lastKnownElr()));
    }

    private void replayClientQuota(ClientQuotaRecord r) {
        if (clientQuotas == null) {
            clientQuotas = new HashMap<>(base.clientQuotas());
        }
        Map<String, Double> quotas = new HashMap<>(clientQuotas.getOrDefault(r.entity(), Map.of()));
        if (r.value() == null) {
            quotas.remove(r.key());
        } else {
            quotas.put(r.key(), r.value());
        }
        if (quotas.isEmpty()) {
            clientQuotas.remove(r.entity());
        } else {
            clientQuotas.put(r.entity(), Collections.unmodifiableMap(quotas));
        }
    }

    private Map<Integer, BrokerRegistration> mutableBrokers() {
        if (brokers == null) {
            brokers = new HashMap<>(base.brokers());
        }
        return brokers;
    }

    private Map<Uuid, AccessControlEntryRecord> mutableAcls() {
        if (acls == null) {
            acls = new HashMap<>(base.acls());
        }
        return acls;
    }

    /** The topic as changed so far by this delta, made mutable here; null if absent. */
    private TopicBuilder topic(Uuid id) {
        TopicBuilder topic = touchedTopics.get(id);
        if (topic != null || removedTopics.contains(id)) {
            return topic;
        }
        TopicImage image = base.topicsById().get(id);
        if (image == null) {
            return null;
        }
        topic = new TopicBuilder(image.name(), id, image.partitions());
        touchedTopics.put(id, topic);
        return topic;
    }

    private boolean nameInUse(String name) {
        for (TopicBuilder t : touchedTopics.values()) {
            if (t.name.equals(name)) {
                return true;
            }
        }
        TopicImage existing = base.topicsByName().get(name);
        return existing != null && !removedTopics.contains(existing.id()) && !touchedTopics.containsKey(existing.id());
    }

    private static Map<String, Map<String, String>> withConfig(Map<String, Map<String, String>> changed,
            Map<String, Map<String, String>> original, ConfigRecord r) {
        return withEntry(changed, original, r.resourceName(), r.key(), r.value());
    }

    /** The resource's {@code key} set to {@code value}, or removed when null; a resource left empty is removed. */
    private static Map<String, Map<String, String>> withEntry(Map<String, Map<String, String>> changed,
            Map<String, Map<String, String>> original, String resourceName, String key, String value) {
        Map<String, Map<String, String>> all = changed == null ? new HashMap<>(original) : changed;
        Map<String, String> resource = new HashMap<>(all.getOrDefault(resourceName, Map.of()));
        if (value == null) {
            resource.remove(key);
        } else {
            resource.put(key, value);
        }
        if (resource.isEmpty()) {
            all.remove(resourceName);
        } else {
            all.put(resourceName, Collections.unmodifiableMap(resource));
        }
        return all;
    }

    private static Map<String, Map<String, String>> withoutResource(Map<String, Map<String, String>> changed,
            Map<String, Map<String, String>> original, String resourceName) {
        Map<String, Map<String, String>> all = changed == null ? new HashMap<>(original) : changed;
        all.remove(resourceName);
        return all;
    }
}
