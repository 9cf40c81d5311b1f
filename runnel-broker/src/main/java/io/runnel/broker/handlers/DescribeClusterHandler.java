package io.runnel.broker.handlers;

import io.runnel.broker.protocol.ApiHandler;
import io.runnel.broker.protocol.RequestContext;
import io.runnel.broker.replica.ReplicaManager;
import io.runnel.broker.security.Authorization;
import io.runnel.metadata.BrokerRegistration;
import io.runnel.metadata.Endpoint;
import io.runnel.metadata.MetadataImage;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.DescribeClusterRequestData;
import org.apache.kafka.common.message.DescribeClusterResponseData;
import org.apache.kafka.common.message.DescribeClusterResponseData.DescribeClusterBroker;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.resource.ResourceType;

import java.util.concurrent.CompletableFuture;
import java.util.function.IntSupplier;

/** DescribeCluster: the cluster id, the active controller and the brokers on the client's listener. */
public final class DescribeClusterHandler implements ApiHandler {
    /** DescribeCluster v1 endpoint types: 1 = brokers, 2 = controllers (KIP-919). */
    private static final byte BROKER_ENDPOINTS = 1;

    private final ReplicaManager replicas;
    private final IntSupplier activeControllerId;
    private final Authorization authorization;

    public DescribeClusterHandler(ReplicaManager replicas, IntSupplier activeControllerId,
                                  Authorization authorization) {
        this.authorization = authorization;
        this.replicas = replicas;
        this.activeControllerId = activeControllerId;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestContext ctx, ApiMessage message) {
        DescribeClusterRequestData request = (DescribeClusterRequestData) message;
        MetadataImage image = replicas.image();
        DescribeClusterResponseData response = new DescribeClusterResponseData()
                .setClusterId(image.clusterId())
                .setControllerId(activeControllerId.getAsInt())
                .setClusterAuthorizedOperations(AuthorizedOperations.ifRequested(
                        request.includeClusterAuthorizedOperations(), clusterOperations(ctx)));
        if (ctx.apiVersion() >= 1) {
            response.setEndpointType(BROKER_ENDPOINTS);
            if (request.endpointType() != BROKER_ENDPOINTS) {
                return CompletableFuture.completedFuture(response
                        .setErrorCode(Errors.UNSUPPORTED_ENDPOINT_TYPE.code())
                        .setErrorMessage("Only broker endpoints are served on a broker listener"));
            }
        }
        for (BrokerRegistration broker : image.brokers().values()) {
            if (broker.fenced() && !request.includeFencedBrokers()) {
                continue;
            }
            for (Endpoint endpoint : broker.endpoints()) {
                if (endpoint.listenerName().equals(ctx.listenerName())) {
                    DescribeClusterBroker b = new DescribeClusterBroker()
                            .setBrokerId(broker.nodeId())
                            .setHost(endpoint.host())
                            .setPort(endpoint.port())
                            .setRack(broker.rack());
                    if (ctx.apiVersion() >= 2) {
                        b.setIsFenced(broker.fenced());
                    }
                    response.brokers().add(b);
                }
            }
        }
        return CompletableFuture.completedFuture(response);
    }

    /** As Kafka: the cluster's authorized operations are told only to a principal that may DESCRIBE it, else none. */
    private int clusterOperations(RequestContext ctx) {
        return authorization.allowedOnCluster(ctx, AclOperation.DESCRIBE) ? authorization.authorizedOperations(ctx,
                ResourceType.CLUSTER, Authorization.CLUSTER_NAME, AuthorizedOperations.CLUSTER) : 0;
    }
}
