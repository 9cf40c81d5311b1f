package io.runnel.broker.replica;

import io.runnel.metadata.Controller;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.AlterPartitionRequestData;
import org.apache.kafka.common.message.AlterPartitionResponseData;
import org.apache.kafka.common.protocol.Errors;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongSupplier;

/**
 * Sends a leader's proposed ISR to the active controller as an AlterPartition request under this broker's id and
 * epoch, and answers with the partition's part of the response (the request's error, if it failed as a whole).
 */
final class AlterPartitionSender implements IsrChangeSender {
    private final int brokerId;
    private final Controller controller;
    private final LongSupplier brokerEpoch;

    AlterPartitionSender(int brokerId, Controller controller, LongSupplier brokerEpoch) {
        this.brokerId = brokerId;
        this.controller = controller;
        this.brokerEpoch = brokerEpoch;
    }

    @Override
    public CompletableFuture<AlterPartitionResponseData.PartitionData> send(
            Uuid topicId, int partition, int leaderEpoch, int partitionEpoch,
            List<AlterPartitionRequestData.BrokerState> newIsr) {
        AlterPartitionRequestData request = new AlterPartitionRequestData()
                .setBrokerId(brokerId)
                .setBrokerEpoch(brokerEpoch.getAsLong())
                .setTopics(List.of(new AlterPartitionRequestData.TopicData().setTopicId(topicId).setPartitions(List.of(
                        new AlterPartitionRequestData.PartitionData().setPartitionIndex(partition)
                                .setLeaderEpoch(leaderEpoch).setPartitionEpoch(partitionEpoch)
                                .setNewIsrWithEpochs(newIsr)))));
        return controller.alterPartition(request).thenApply(response -> {
            if (response.errorCode() != Errors.NONE.code()) {
                return new AlterPartitionResponseData.PartitionData().setPartitionIndex(partition)
                        .setErrorCode(response.errorCode());
            }
            return response.topics().stream().filter(t -> t.topicId().equals(topicId))
                    .flatMap(t -> t.partitions().stream()).filter(p -> p.partitionIndex() == partition).findFirst()
                    .orElse(new AlterPartitionResponseData.PartitionData().setPartitionIndex(partition)
                            .setErrorCode(Errors.UNKNOWN_TOPIC_OR_PARTITION.code()));
        });
    }
}
