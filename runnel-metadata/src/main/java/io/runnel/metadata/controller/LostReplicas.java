package io.runnel.metadata.controller;

import io.runnel.metadata.BrokerRegistration;
import io.runnel.metadata.Controller;
import io.runnel.metadata.MetadataImage;
import io.runnel.metadata.PartitionRegistration;
import io.runnel.metadata.TopicImage;
import io.runnel.metadata.record.MetadataRecord;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.message.AssignReplicasToDirsRequestData;
import org.apache.kafka.common.message.AssignReplicasToDirsResponseData;
import org.apache.kafka.common.protocol.Errors;

/**
 * AssignReplicasToDirs from a broker that lost a log dir: its replicas assigned to the lost directory leave the ISR
 * and the leadership of their partitions, so that clients and followers move to the other ISR members at once, as
 * Kafka's controller does when a broker reports an offline dir. The broker never serves them again before it
 * restarts, so it does not rejoin the ISR; the partition's change record is all the controller keeps.
 */
final class LostReplicas {
    private LostReplicas() {
    }

    static Outcome<AssignReplicasToDirsResponseData> assign(MetadataImage image, EligibleLeaders elr,
                                                            AssignReplicasToDirsRequestData request) {
        AssignReplicasToDirsResponseData response = new AssignReplicasToDirsResponseData();
        BrokerRegistration broker = image.brokers().get(request.brokerId());
        if (broker == null || broker.brokerEpoch() != request.brokerEpoch()) {
            return Outcome.of(response.setErrorCode(Errors.STALE_BROKER_EPOCH.code()));
        }
        List<MetadataRecord> records = new ArrayList<>();
        for (AssignReplicasToDirsRequestData.DirectoryData dir : request.directories()) {
            AssignReplicasToDirsResponseData.DirectoryData dirAnswer = new AssignReplicasToDirsResponseData
                    .DirectoryData().setId(dir.id());
            for (AssignReplicasToDirsRequestData.TopicData topicData : dir.topics()) {
                TopicImage topic = image.topicsById().get(topicData.topicId());
                AssignReplicasToDirsResponseData.TopicData topicAnswer = new AssignReplicasToDirsResponseData
                        .TopicData().setTopicId(topicData.topicId());
                for (AssignReplicasToDirsRequestData.PartitionData partition : topicData.partitions()) {
                    Errors error = error(topic, partition.partitionIndex(), broker.nodeId());
                    if (error == Errors.NONE && Controller.LOST_DIRECTORY.equals(dir.id())) {
                        // A lost directory's replica has lost its records: it cannot be an eligible leader.
                        PartitionChanges.removeReplica(image, elr, broker.nodeId(), true, topic,
                                partition.partitionIndex(), records);
                    }
                    topicAnswer.partitions().add(new AssignReplicasToDirsResponseData.PartitionData()
                            .setPartitionIndex(partition.partitionIndex()).setErrorCode(error.code()));
                }
                dirAnswer.topics().add(topicAnswer);
            }
            response.directories().add(dirAnswer);
        }
        return new Outcome<>(records, response);
    }

    private static Errors error(TopicImage topic, int index, int broker) {
        if (topic == null) {
            return Errors.UNKNOWN_TOPIC_ID;
        }
        PartitionRegistration p = topic.partitions().get(index);
        if (p == null) {
            return Errors.UNKNOWN_TOPIC_OR_PARTITION;
        }
        return PartitionChanges.contains(p.replicas(), broker) ? Errors.NONE : Errors.NOT_LEADER_OR_FOLLOWER;
    }
}
