package io.runnel.metadata.controller;

import io.runnel.metadata.BrokerRegistration;
import io.runnel.metadata.MetadataImage;
import io.runnel.metadata.PartitionRegistration;
import io.runnel.metadata.TopicImage;
import io.runnel.metadata.record.MetadataRecord;
import io.runnel.metadata.record.PartitionChangeRecord;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.kafka.common.message.AlterPartitionRequestData;
import org.apache.kafka.common.message.AlterPartitionResponseData;
import org.apache.kafka.common.protocol.Errors;

/**
 * ISR changes asked for by partition leaders, validated as Kafka's controller does: the sender must be the
 * registered broker at its current epoch and the partition's leader at the current leader epoch, the request
 * must be based on the current partition epoch, and every new ISR member must be an unfenced replica at its
 * current broker epoch. An ISR change that brings every target replica of a reassignment in completes it.
 */
final class AlterPartitions {
    private AlterPartitions() {
    }

    static Outcome<AlterPartitionResponseData> alter(MetadataImage image, EligibleLeaders elr,
                                                     AlterPartitionRequestData request) {
        AlterPartitionResponseData response = new AlterPartitionResponseData();
        BrokerRegistration sender = image.brokers().get(request.brokerId());
        if (sender == null || (request.brokerEpoch() != -1 && request.brokerEpoch() != sender.brokerEpoch())) {
            return Outcome.of(response.setErrorCode(Errors.STALE_BROKER_EPOCH.code()));
        }
        List<MetadataRecord> records = new ArrayList<>();
        for (AlterPartitionRequestData.TopicData topicData : request.topics()) {
            TopicImage topic = image.topicsById().get(topicData.topicId());
            AlterPartitionResponseData.TopicData topicResponse = new AlterPartitionResponseData.TopicData()
                    .setTopicId(topicData.topicId());
            for (AlterPartitionRequestData.PartitionData data : topicData.partitions()) {
                AlterPartitionResponseData.PartitionData answer = new AlterPartitionResponseData.PartitionData()
                        .setPartitionIndex(data.partitionIndex());
                PartitionRegistration p = topic == null ? null : topic.partitions().get(data.partitionIndex());
                if (p == null) {
                    answer.setErrorCode((topic == null ? Errors.UNKNOWN_TOPIC_ID : Errors.UNKNOWN_TOPIC_OR_PARTITION).code());
                } else {
                    int[] newIsr = newIsr(data);
                    Errors error = validate(image, request.brokerId(), p, data, newIsr);
                    if (error != Errors.NONE) {
                        answer.setErrorCode(error.code());
                    } else if (Arrays.equals(newIsr, p.isr())) {
                        describe(answer, p);
                    } else {
                        PartitionChangeRecord completed = PartitionReassignments.completion(image, elr, topic,
                                data.partitionIndex(), p, newIsr);
                        if (completed == null) {
                            records.add(elr.complete(image, topic, p, new PartitionChangeRecord(topic.id(),
                                    data.partitionIndex(), null, newIsr, PartitionChangeRecord.NO_LEADER_CHANGE)));
                            describe(answer, new PartitionRegistration(p.replicas(), newIsr, p.leader(),
                                    p.leaderEpoch(), p.partitionEpoch() + 1, p.addingReplicas(), p.removingReplicas()));
                        } else {
                            records.add(completed);
                            if (completed.leader() == PartitionChangeRecord.NO_LEADER_CHANGE) {
                                describe(answer, new PartitionRegistration(completed.replicas(), completed.isr(),
                                        p.leader(), p.leaderEpoch(), p.partitionEpoch() + 1));
                            } else {
                                // The ISR change is written, and with it the reassignment moves leadership away.
                                answer.setErrorCode(Errors.NEW_LEADER_ELECTED.code());
                            }
                        }
                    }
                }
                topicResponse.partitions().add(answer);
            }
            response.topics().add(topicResponse);
        }
        return new Outcome<>(records, response);
    }

    private static int[] newIsr(AlterPartitionRequestData.PartitionData data) {
        return data.newIsrWithEpochs().isEmpty()
                ? data.newIsr().stream().mapToInt(Integer::intValue).toArray()
                : data.newIsrWithEpochs().stream().mapToInt(AlterPartitionRequestData.BrokerState::brokerId).toArray();
    }

    private static Errors validate(MetadataImage image, int sender, PartitionRegistration p,
                                   AlterPartitionRequestData.PartitionData data, int[] newIsr) {
        if (data.leaderEpoch() > p.leaderEpoch()) {
            // The sender knows a newer leader epoch than this controller's image.
            return Errors.NOT_CONTROLLER;
        }
        if (data.leaderEpoch() < p.leaderEpoch()) {
            return Errors.FENCED_LEADER_EPOCH;
        }
        if (p.leader() != sender) {
            return Errors.INVALID_REQUEST;
        }
        if (data.partitionEpoch() != p.partitionEpoch()) {
            return Errors.INVALID_UPDATE_VERSION;
        }
        if (newIsr.length == 0 || !PartitionChanges.contains(newIsr, sender)
                || Arrays.stream(newIsr).distinct().count() != newIsr.length) {
            return Errors.INVALID_REQUEST;
        }
        for (int i = 0; i < newIsr.length; i++) {
            BrokerRegistration member = image.brokers().get(newIsr[i]);
            long claimedEpoch = data.newIsrWithEpochs().isEmpty() ? -1 : data.newIsrWithEpochs().get(i).brokerEpoch();
            if (!PartitionChanges.contains(p.replicas(), newIsr[i]) || member == null
                    || (member.fenced() && !PartitionChanges.contains(p.isr(), newIsr[i]))
                    || (claimedEpoch != -1 && claimedEpoch != member.brokerEpoch())) {
                return Errors.INELIGIBLE_REPLICA;
            }
        }
        return Errors.NONE;
    }

    private static void describe(AlterPartitionResponseData.PartitionData answer, PartitionRegistration p) {
        answer.setLeaderId(p.leader()).setLeaderEpoch(p.leaderEpoch()).setPartitionEpoch(p.partitionEpoch())
                .setIsr(Arrays.stream(p.isr()).boxed().toList());
    }
}
