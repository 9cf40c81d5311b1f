package io.runnel.broker.handlers;

import io.runnel.broker.group.GroupCoordinator;
import io.runnel.broker.protocol.ApiHandler;
import io.runnel.broker.protocol.RequestContext;
import io.runnel.broker.replica.ReplicaManager;
import io.runnel.broker.security.Authorization;
import io.runnel.broker.txn.TransactionCoordinator;
import io.runnel.metadata.BrokerRegistration;
import io.runnel.metadata.Endpoint;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.FindCoordinatorRequestData;
import org.apache.kafka.common.message.FindCoordinatorResponseData;
import org.apache.kafka.common.message.FindCoordinatorResponseData.Coordinator;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.resource.ResourceType;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * FindCoordinator (v0-v3 one key, v4+ a batch): the leader of the group's {@code __consumer_offsets} partition or of
 * the transactional id's {@code __transaction_state} partition, on the listener the client came in on; the first
 * lookup of each kind creates its topic.
 */
public final class FindCoordinatorHandler implements ApiHandler {
    /** FindCoordinator v4 (KIP-699) looks up several keys at once. */
    private static final short FIRST_BATCHED_VERSION = 4;
    /** The protocol's key types. */
    private static final byte GROUP_KEY = 0;
    private static final byte TRANSACTION_KEY = 1;

    private final GroupCoordinator groups;
    private final TransactionCoordinator transactions;
    private final ReplicaManager replicas;
    private final Authorization authorization;

    public FindCoordinatorHandler(GroupCoordinator groups, TransactionCoordinator transactions, ReplicaManager replicas,
                                  Authorization authorization) {
        this.authorization = authorization;
        this.groups = groups;
        this.transactions = transactions;
        this.replicas = replicas;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestContext ctx, ApiMessage message) {
        FindCoordinatorRequestData request = (FindCoordinatorRequestData) message;
        boolean batched = ctx.apiVersion() >= FIRST_BATCHED_VERSION;
        List<String> keys = batched ? request.coordinatorKeys() : List.of(request.key());
        List<CompletableFuture<Coordinator>> lookups = new ArrayList<>();
        for (String key : keys) {
            lookups.add(find(ctx, request.keyType(), key));
        }
        return CompletableFuture.allOf(lookups.toArray(CompletableFuture[]::new)).thenApply(done -> {
            FindCoordinatorResponseData response = new FindCoordinatorResponseData();
            if (batched) {
                lookups.forEach(l -> response.coordinators().add(l.join()));
                return response;
            }
            Coordinator only = lookups.get(0).join();
            return response.setErrorCode(only.errorCode()).setErrorMessage(only.errorMessage())
                    .setNodeId(only.nodeId()).setHost(only.host()).setPort(only.port());
        });
    }

    private CompletableFuture<Coordinator> find(RequestContext ctx, byte keyType, String key) {
        Coordinator result = new Coordinator().setKey(key);
        if (keyType != GROUP_KEY && keyType != TRANSACTION_KEY) {
            return CompletableFuture.completedFuture(error(result, Errors.INVALID_REQUEST, "Unknown key type " + keyType));
        }
        if (key == null || key.isEmpty()) {
            return CompletableFuture.completedFuture(error(result, Errors.INVALID_REQUEST,
                    keyType == GROUP_KEY ? "The group id is empty" : "The transactional id is empty"));
        }
        if (keyType == GROUP_KEY ? !authorization.allowed(ctx, AclOperation.DESCRIBE, ResourceType.GROUP, key)
                : !authorization.allowed(ctx, AclOperation.DESCRIBE, ResourceType.TRANSACTIONAL_ID, key)) {
            return CompletableFuture.completedFuture(error(result, keyType == GROUP_KEY
                    ? Errors.GROUP_AUTHORIZATION_FAILED : Errors.TRANSACTIONAL_ID_AUTHORIZATION_FAILED, null));
        }
        CompletableFuture<Integer> lookup = keyType == GROUP_KEY ? groups.coordinatorOf(key) : transactions.coordinatorOf(key);
        return lookup.handle((nodeId, failure) -> {
            if (failure != null) {
                Throwable cause = failure.getCause() != null ? failure.getCause() : failure;
                return error(result, Errors.forException(cause), cause.getMessage());
            }
            Endpoint endpoint = endpoint(nodeId, ctx.listenerName());
            if (endpoint == null) {
                return error(result, Errors.COORDINATOR_NOT_AVAILABLE,
                        "Broker " + nodeId + " has no " + ctx.listenerName() + " listener");
            }
            return result.setNodeId(nodeId).setHost(endpoint.host()).setPort(endpoint.port());
        });
    }

    private Endpoint endpoint(int nodeId, String listenerName) {
        BrokerRegistration broker = replicas.image().brokers().get(nodeId);
        if (broker == null || broker.fenced()) {
            return null;
        }
        return broker.endpoints().stream().filter(e -> e.listenerName().equals(listenerName)).findFirst().orElse(null);
    }

    private static Coordinator error(Coordinator result, Errors error, String message) {
        return result.setErrorCode(error.code()).setErrorMessage(message).setNodeId(-1).setHost("").setPort(-1);
    }
}
