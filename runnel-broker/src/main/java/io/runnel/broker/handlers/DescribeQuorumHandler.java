package io.runnel.broker.handlers;

import io.runnel.broker.protocol.ApiHandler;
import io.runnel.broker.protocol.RequestContext;
import io.runnel.metadata.MetadataQuorum;
import io.runnel.metadata.quorum.ForwardingController;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.DescribeQuorumRequestData;
import org.apache.kafka.common.message.DescribeQuorumResponseData;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;

/**
 * DescribeQuorum (KIP-595, KIP-836): the metadata quorum as its leader sees it, whichever node is asked (the
 * request is forwarded to the active controller). Only {@code __cluster_metadata} partition 0 exists; from v2
 * the voters' controller endpoints and each member's metadata directory id are listed too.
 */
public final class DescribeQuorumHandler implements ApiHandler {
    private final MetadataQuorum quorum;
    private final String controllerListener;

    public DescribeQuorumHandler(MetadataQuorum quorum, String controllerListener) {
        this.quorum = quorum;
        this.controllerListener = controllerListener;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestContext ctx, ApiMessage message) {
        DescribeQuorumRequestData request = (DescribeQuorumRequestData) message;
        if (!asksForTheMetadataPartition(request)) {
            return CompletableFuture.completedFuture(unknownPartitions(request));
        }
        return quorum.describeQuorum().handle((response, error) -> {
            if (error != null) {
                Throwable cause = error instanceof CompletionException && error.getCause() != null
                        ? error.getCause() : error;
                DescribeQuorumResponseData failed = new DescribeQuorumResponseData()
                        .setErrorCode(Errors.forException(cause).code());
                if (ctx.apiVersion() >= 2) {
                    failed.setErrorMessage(cause.getMessage());
                }
                return failed;
            }
            if (ctx.apiVersion() < 2) {
                // Directory ids came with v2 (KIP-853): a version that lacks them cannot carry one.
                response.topics().forEach(t -> t.partitions().forEach(p -> {
                    p.currentVoters().forEach(r -> r.setReplicaDirectoryId(Uuid.ZERO_UUID));
                    p.observers().forEach(r -> r.setReplicaDirectoryId(Uuid.ZERO_UUID));
                }));
            } else {
                quorum.voters().forEach((id, address) -> {
                    DescribeQuorumResponseData.ListenerCollection listeners =
                            new DescribeQuorumResponseData.ListenerCollection();
                    listeners.add(new DescribeQuorumResponseData.Listener().setName(controllerListener)
                            .setHost(address.getHostString()).setPort(address.getPort()));
                    response.nodes().add(new DescribeQuorumResponseData.Node().setNodeId(id).setListeners(listeners));
                });
            }
            return response;
        });
    }

    private static boolean asksForTheMetadataPartition(DescribeQuorumRequestData request) {
        return request.topics().size() == 1
                && ForwardingController.METADATA_TOPIC.equals(request.topics().get(0).topicName())
                && request.topics().get(0).partitions().size() == 1
                && request.topics().get(0).partitions().get(0).partitionIndex() == 0;
    }

    private static DescribeQuorumResponseData unknownPartitions(DescribeQuorumRequestData request) {
        DescribeQuorumResponseData response = new DescribeQuorumResponseData();
        for (DescribeQuorumRequestData.TopicData topic : request.topics()) {
            DescribeQuorumResponseData.TopicData answer = new DescribeQuorumResponseData.TopicData()
                    .setTopicName(topic.topicName());
            topic.partitions().forEach(p -> answer.partitions().add(new DescribeQuorumResponseData.PartitionData()
                    .setPartitionIndex(p.partitionIndex()).setErrorCode(Errors.UNKNOWN_TOPIC_OR_PARTITION.code())));
            response.topics().add(answer);
        }
        return response;
    }
}
