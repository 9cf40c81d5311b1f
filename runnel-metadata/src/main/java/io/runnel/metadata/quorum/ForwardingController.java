package io.runnel.metadata.quorum;

import io.runnel.metadata.AclResult;
import io.runnel.metadata.ConfigChange;
import io.runnel.metadata.ConfigResult;
import io.runnel.metadata.Controller;
import io.runnel.metadata.CreatePartitionsSpec;
import io.runnel.metadata.CreateTopicSpec;
import io.runnel.metadata.ScramCredentialResult;
import io.runnel.metadata.TopicResult;
import io.runnel.metadata.controller.QuorumController;
import io.runnel.metadata.record.ScramCredentialRecord;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.NotControllerException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.message.AlterClientQuotasRequestData;
import org.apache.kafka.common.message.AlterClientQuotasResponseData;
import org.apache.kafka.common.message.AlterPartitionReassignmentsRequestData;
import org.apache.kafka.common.message.AlterPartitionReassignmentsResponseData;
import org.apache.kafka.common.message.AlterPartitionRequestData;
import org.apache.kafka.common.message.AssignReplicasToDirsRequestData;
import org.apache.kafka.common.message.AssignReplicasToDirsResponseData;
import org.apache.kafka.common.message.AlterPartitionResponseData;
import org.apache.kafka.common.message.BrokerHeartbeatRequestData;
import org.apache.kafka.common.message.BrokerHeartbeatResponseData;
import org.apache.kafka.common.message.BrokerRegistrationRequestData;
import org.apache.kafka.common.message.BrokerRegistrationResponseData;
import org.apache.kafka.common.message.DescribeQuorumResponseData;
import org.apache.kafka.common.message.ElectLeadersRequestData;
import org.apache.kafka.common.message.ElectLeadersResponseData;
import org.apache.kafka.common.message.ListPartitionReassignmentsRequestData;
import org.apache.kafka.common.message.ListPartitionReassignmentsResponseData;

/**
 * The {@link Controller} of every node: runs an operation in this node's controller while it is the active one,
 * and otherwise sends it through Ratis to the leader's state machine, which runs it in the leader's controller.
 * An operation that meets no active controller (an election in progress) is retried until the deadline. It also
 * serves the operations other members forward to this one.
 */
public final class ForwardingController implements Controller {
    private static final long RETRY_BACKOFF_MS = 50;
    /** The name Kafka gives the metadata log's partition in DescribeQuorum. */
    public static final String METADATA_TOPIC = "__cluster_metadata";

    private final RatisMetadataLog log;
    private final long timeoutMs;

    public ForwardingController(RatisMetadataLog log, QuorumController local, long timeoutMs) {
        this.log = log;
        this.timeoutMs = timeoutMs;
        // Requests run in the local controller while it leads, whether they start here or on another member.
        log.stateMachine().serveControllerOperations(local, () -> describeLocally(log), log::currentImage);
    }

    @Override
    public CompletableFuture<BrokerRegistrationResponseData> registerBroker(BrokerRegistrationRequestData request) {
        return run(ControllerMessages.registerBroker(request));
    }

    @Override
    public CompletableFuture<BrokerHeartbeatResponseData> brokerHeartbeat(BrokerHeartbeatRequestData request) {
        return run(ControllerMessages.brokerHeartbeat(request));
    }

    @Override
    public CompletableFuture<AlterPartitionResponseData> alterPartition(AlterPartitionRequestData request) {
        return run(ControllerMessages.alterPartition(request));
    }

    @Override
    public CompletableFuture<AssignReplicasToDirsResponseData> assignReplicasToDirs(
            AssignReplicasToDirsRequestData request) {
        return run(ControllerMessages.assignReplicasToDirs(request));
    }

    @Override
    public CompletableFuture<Void> unregisterBroker(int brokerId) {
        return run(ControllerMessages.unregisterBroker(brokerId));
    }

    @Override
    public CompletableFuture<ElectLeadersResponseData> electLeaders(ElectLeadersRequestData request) {
        return run(ControllerMessages.electLeaders(request));
    }

    @Override
    public CompletableFuture<AlterPartitionReassignmentsResponseData> alterPartitionReassignments(
            AlterPartitionReassignmentsRequestData request) {
        return run(ControllerMessages.alterPartitionReassignments(request));
    }

    @Override
    public CompletableFuture<ListPartitionReassignmentsResponseData> listPartitionReassignments(
            ListPartitionReassignmentsRequestData request) {
        return run(ControllerMessages.listPartitionReassignments(request));
    }

    @Override
    public CompletableFuture<List<TopicResult>> createTopics(List<CreateTopicSpec> specs, boolean validateOnly) {
        return run(ControllerMessages.createTopics(specs, validateOnly));
    }

    @Override
    public CompletableFuture<List<TopicResult>> deleteTopics(List<String> names, List<Uuid> ids) {
        return run(ControllerMessages.deleteTopics(names, ids));
    }

    @Override
    public CompletableFuture<List<TopicResult>> createPartitions(List<CreatePartitionsSpec> specs, boolean validateOnly) {
        return run(ControllerMessages.createPartitions(specs, validateOnly));
    }

    @Override
    public CompletableFuture<List<ConfigResult>> incrementalAlterConfigs(Map<ConfigResource, List<ConfigChange>> changes,
                                                                         boolean validateOnly) {
        return run(ControllerMessages.incrementalAlterConfigs(changes, validateOnly));
    }

    @Override
    public CompletableFuture<List<ConfigResult>> replaceConfigs(Map<ConfigResource, Map<String, String>> configs,
                                                                boolean validateOnly) {
        return run(ControllerMessages.replaceConfigs(configs, validateOnly));
    }

    @Override
    public CompletableFuture<AlterClientQuotasResponseData> alterClientQuotas(AlterClientQuotasRequestData request) {
        return run(ControllerMessages.alterClientQuotas(request));
    }

    @Override
    public CompletableFuture<List<ScramCredentialResult>> alterScramCredentials(List<ScramCredentialRecord> changes) {
        return run(ControllerMessages.alterScramCredentials(changes));
    }

    @Override
    public CompletableFuture<List<AclResult>> createAcls(List<AclBinding> bindings) {
        return run(ControllerMessages.createAcls(bindings));
    }

    @Override
    public CompletableFuture<List<AclResult>> deleteAcls(List<AclBindingFilter> filters) {
        return run(ControllerMessages.deleteAcls(filters));
    }

    @Override
    public CompletableFuture<Long> allocateProducerIds(int brokerId, int count) {
        return run(ControllerMessages.allocateProducerIds(brokerId, count));
    }

    /** Records that node {@code nodeId} follows the metadata log from directory {@code directoryId}. */
    public CompletableFuture<Void> registerQuorumMember(int nodeId, Uuid directoryId) {
        return run(ControllerMessages.registerQuorumMember(nodeId, directoryId));
    }

    /** DescribeQuorum for the metadata partition, answered by the leader wherever it is asked. */
    public CompletableFuture<DescribeQuorumResponseData> describeQuorum() {
        return run(ControllerMessages.describeQuorum());
    }

    /** This member's answer to DescribeQuorum, as the leader gives it. */
    static DescribeQuorumResponseData describeLocally(RatisMetadataLog log) {
        DescribeQuorumResponseData response = new DescribeQuorumResponseData();
        response.topics().add(new DescribeQuorumResponseData.TopicData().setTopicName(METADATA_TOPIC)
                .setPartitions(List.of(log.describeQuorum())));
        return response;
    }

    /** Runs {@code call} as one request: every attempt carries the same request id, so it is carried out once. */
    private <T> CompletableFuture<T> run(ControllerMessages.Call<T> call) {
        byte[] request = ControllerMessages.request(UUID.randomUUID(), call);
        return attempt(request, call, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs));
    }

    private <T> CompletableFuture<T> attempt(byte[] request, ControllerMessages.Call<T> call, long deadline) {
        if (!log.isRunning()) {
            return CompletableFuture.failedFuture(new NotControllerException("The metadata quorum is not running"));
        }
        long remainingMs = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
        CompletableFuture<ByteBuffer> answer = log.isLeader()
                ? log.stateMachine().serve(ByteBuffer.wrap(request)).thenApply(ByteBuffer::wrap)
                : log.forward(request, remainingMs);
        return answer.thenApply(call::decodeAnswer).exceptionallyCompose(e -> {
            Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
            if (!(cause instanceof NotControllerException) || !log.isRunning()) {
                return CompletableFuture.failedFuture(cause);
            }
            if (System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(RETRY_BACKOFF_MS) >= deadline) {
                return CompletableFuture.failedFuture(new TimeoutException("No active controller within "
                        + timeoutMs + " ms: " + cause.getMessage()));
            }
            return CompletableFuture.supplyAsync(() -> null,
                            CompletableFuture.delayedExecutor(RETRY_BACKOFF_MS, TimeUnit.MILLISECONDS))
                    .thenCompose(ignored -> attempt(request, call, deadline));
        });
    }
}
