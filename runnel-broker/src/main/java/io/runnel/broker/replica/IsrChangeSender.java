package io.runnel.broker.replica;

import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.AlterPartitionRequestData.BrokerState;
import org.apache.kafka.common.message.AlterPartitionResponseData;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/** Sends a leader's proposed ISR to the controller as an AlterPartition request. */
interface IsrChangeSender {
    CompletableFuture<AlterPartitionResponseData.PartitionData> send(Uuid topicId, int partition, int leaderEpoch,
                                                                    int partitionEpoch, List<BrokerState> newIsr);
}
