package io.runnel.metadata.controller;

import io.runnel.metadata.MetadataImage;
import io.runnel.metadata.PartitionRegistration;
import io.runnel.metadata.TopicImage;
import io.runnel.metadata.record.MetadataRecord;
import io.runnel.metadata.record.PartitionChangeRecord;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.IntStream;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.AlterPartitionReassignmentsRequestData;
import org.apache.kafka.common.message.AlterPartitionReassignmentsRequestData.ReassignablePartition;
import org.apache.kafka.common.message.AlterPartitionReassignmentsRequestData.ReassignableTopic;
import org.apache.kafka.common.message.AlterPartitionReassignmentsResponseData;
import org.apache.kafka.common.message.AlterPartitionReassignmentsResponseData.ReassignablePartitionResponse;
import org.apache.kafka.common.message.AlterPartitionReassignmentsResponseData.ReassignableTopicResponse;
import org.apache.kafka.common.message.ListPartitionReassignmentsRequestData;
import org.apache.kafka.common.message.ListPartitionReassignmentsResponseData;
import org.apache.kafka.common.message.ListPartitionReassignmentsResponseData.OngoingPartitionReassignment;
import org.apache.kafka.common.message.ListPartitionReassignmentsResponseData.OngoingTopicReassignment;
import org.apache.kafka.common.protocol.Errors;

/**
 * Partition reassignments as Kafka's KRaft controller makes them (KIP-455). Reassigning to a target makes the replicas
 * the target followed by the current replicas outside it, which are being removed, while the target's new members
 * are being added: they join as followers, catch up and enter the ISR. Once every target replica is in the ISR the
 * reassignment completes: the replicas become the target, the removed ones leave the ISR, and a removed leader hands
 * leadership to the first target replica in the ISR. Cancelling reverts to the replicas without those being added,
 * in their order during the move.
 */
final class PartitionReassignments {
    private static final int[] NONE = new int[0];

    private PartitionReassignments() {
    }

    static Outcome<AlterPartitionReassignmentsResponseData> alter(MetadataImage image, EligibleLeaders elr,
                                                                  AlterPartitionReassignmentsRequestData request) {
        List<MetadataRecord> records = new ArrayList<>();
        AlterPartitionReassignmentsResponseData response = new AlterPartitionReassignmentsResponseData()
                .setAllowReplicationFactorChange(request.allowReplicationFactorChange());
        for (ReassignableTopic named : request.topics()) {
            TopicImage topic = image.topicsByName().get(named.name());
            ReassignableTopicResponse results = new ReassignableTopicResponse().setName(named.name());
            for (ReassignablePartition partition : named.partitions()) {
                PartitionRegistration p = topic == null ? null : topic.partitions().get(partition.partitionIndex());
                ReassignablePartitionResponse result = new ReassignablePartitionResponse()
                        .setPartitionIndex(partition.partitionIndex());
                if (p == null) {
                    failed(result, Errors.UNKNOWN_TOPIC_OR_PARTITION, "Unable to find partition "
                            + named.name() + "-" + partition.partitionIndex() + ".");
                } else if (partition.replicas() == null) {
                    if (!p.reassigning()) {
                        failed(result, Errors.NO_REASSIGNMENT_IN_PROGRESS, "Unable to cancel reassignment of "
                                + named.name() + "-" + partition.partitionIndex() + ": no reassignment is in progress.");
                    } else {
                        revert(image, elr, topic, partition.partitionIndex(), p, records, result);
                    }
                } else {
                    String invalid = ReplicaPlacer.invalidAssignment(partition.partitionIndex(), partition.replicas(),
                            image.brokers());
                    int[] target = ReplicaPlacer.toArray(partition.replicas());
                    int original = originalReplicas(p).length;
                    if (invalid != null) {
                        failed(result, Errors.INVALID_REPLICA_ASSIGNMENT, invalid);
                    } else if (!request.allowReplicationFactorChange() && target.length != original) {
                        failed(result, Errors.INVALID_REPLICATION_FACTOR, "The replication factor is changed from "
                                + original + " to " + target.length);
                    } else if (p.reassigning() && Arrays.equals(target, originalReplicas(p))) {
                        revert(image, elr, topic, partition.partitionIndex(), p, records, result);
                    } else {
                        records.add(reassign(image, elr, topic, partition.partitionIndex(), p, target));
                    }
                }
                results.partitions().add(result.setErrorMessage(result.errorCode() == 0 ? null : result.errorMessage()));
            }
            response.responses().add(results);
        }
        return new Outcome<>(records, response);
    }

    /** The reassignments in progress, of the named partitions or of every partition; others are left out. */
    static ListPartitionReassignmentsResponseData list(MetadataImage image, ListPartitionReassignmentsRequestData request) {
        ListPartitionReassignmentsResponseData response = new ListPartitionReassignmentsResponseData();
        Map<String, List<Integer>> wanted = new TreeMap<>();
        if (request.topics() == null) {
            image.topicsByName().forEach((name, topic) -> wanted.put(name, new ArrayList<>(new TreeMap<>(
                    topic.partitions()).keySet())));
        } else {
            request.topics().forEach(t -> wanted.computeIfAbsent(t.name(), n -> new ArrayList<>()).addAll(t.partitionIndexes()));
        }
        wanted.forEach((name, indexes) -> {
            TopicImage topic = image.topicsByName().get(name);
            OngoingTopicReassignment ongoing = new OngoingTopicReassignment().setName(name);
            for (int index : indexes) {
                PartitionRegistration p = topic == null ? null : topic.partitions().get(index);
                if (p != null && p.reassigning()) {
                    ongoing.partitions().add(new OngoingPartitionReassignment().setPartitionIndex(index)
                            .setReplicas(boxed(p.replicas())).setAddingReplicas(boxed(p.addingReplicas()))
                            .setRemovingReplicas(boxed(p.removingReplicas())));
                }
            }
            if (!ongoing.partitions().isEmpty()) {
                response.topics().add(ongoing);
            }
        });
        return response;
    }

    /**
     * The change that completes the reassignment of {@code p} (as it is, or with {@code isr} as its new ISR) once
     * every target replica is in that ISR and a target replica can lead; null otherwise.
     */
    static PartitionChangeRecord completion(MetadataImage image, EligibleLeaders elr, TopicImage topic, int index,
                                            PartitionRegistration p, int[] isr) {
        int[] target = p.targetReplicas();
        if (!p.reassigning() || !IntStream.of(target).allMatch(r -> PartitionChanges.contains(isr, r))) {
            return null;
        }
        int[] newIsr = IntStream.of(isr).filter(r -> PartitionChanges.contains(target, r)).toArray();
        int leader = PartitionChanges.contains(newIsr, p.leader()) ? p.leader()
                : PartitionChanges.electLeader(image.brokers(), target, newIsr, PartitionChanges.NO_LEADER);
        if (leader == PartitionChanges.NO_LEADER) {
            return null;
        }
        return elr.complete(image, topic, p, new PartitionChangeRecord(topic.id(), index, target, newIsr,
                leader == p.leader() ? PartitionChangeRecord.NO_LEADER_CHANGE : leader, NONE, NONE));
    }

    private static PartitionChangeRecord reassign(MetadataImage image, EligibleLeaders elr, TopicImage topic,
                                                  int index, PartitionRegistration p, int[] target) {
        Uuid topicId = topic.id();
        int[] current = p.replicas();
        int[] adding = IntStream.of(target).filter(r -> !PartitionChanges.contains(current, r)).sorted().toArray();
        int[] removing = IntStream.of(current).filter(r -> !PartitionChanges.contains(target, r)).sorted().toArray();
        int[] replicas = IntStream.concat(IntStream.of(target), IntStream.of(removing)).toArray();
        if (adding.length == 0 && removing.length == 0) {
            // Only the order changes: nothing to move.
            return new PartitionChangeRecord(topicId, index, target, null, PartitionChangeRecord.NO_LEADER_CHANGE,
                    NONE, NONE);
        }
        PartitionRegistration moving = new PartitionRegistration(replicas, p.isr(), p.leader(), p.leaderEpoch(),
                p.partitionEpoch(), adding, removing, p.elr(), p.lastKnownElr());
        PartitionChangeRecord completed = completion(image, elr, topic, index, moving, p.isr());
        return completed != null ? completed : new PartitionChangeRecord(topicId, index, replicas, null,
                PartitionChangeRecord.NO_LEADER_CHANGE, adding, removing);
    }

    /**
     * Back to the replicas before the reassignment, as Kafka's controller reverts: those being added leave the
     * replicas and the ISR, and lose the leadership if they hold it. Should no original replica be in the ISR, the
     * first one becomes the ISR, an unclean election that the topic must allow (INVALID_REPLICA_ASSIGNMENT otherwise).
     */
    private static void revert(MetadataImage image, EligibleLeaders elr, TopicImage topic, int index,
                               PartitionRegistration p, List<MetadataRecord> records,
                               ReassignablePartitionResponse result) {
        int[] original = originalReplicas(p);
        int[] isr = IntStream.of(p.isr()).filter(r -> PartitionChanges.contains(original, r)).toArray();
        if (isr.length == 0) {
            if (!PartitionChanges.uncleanElectionEnabled(image, topic.name())) {
                failed(result, Errors.INVALID_REPLICA_ASSIGNMENT, "Unable to revert partition assignment for "
                        + topic.name() + ":" + index + " because it would require an unclean leader election.");
                return;
            }
            isr = new int[] {original[0]};
        }
        int leader = PartitionChanges.contains(isr, p.leader()) ? PartitionChangeRecord.NO_LEADER_CHANGE
                : PartitionChanges.electLeader(image.brokers(), original, isr, PartitionChanges.NO_LEADER);
        records.add(elr.complete(image, topic, p,
                new PartitionChangeRecord(topic.id(), index, original, isr, leader, NONE, NONE)));
    }

    /** The replicas before the reassignment in progress (all of them when none is). */
    private static int[] originalReplicas(PartitionRegistration p) {
        return IntStream.of(p.replicas()).filter(r -> !PartitionChanges.contains(p.addingReplicas(), r)).toArray();
    }

    private static void failed(ReassignablePartitionResponse result, Errors error, String message) {
        result.setErrorCode(error.code()).setErrorMessage(message);
    }

    private static List<Integer> boxed(int[] values) {
        return Arrays.stream(values).boxed().toList();
    }
}
