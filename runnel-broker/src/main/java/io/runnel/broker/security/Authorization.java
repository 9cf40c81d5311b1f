package io.runnel.broker.security;

import org.apache.kafka.common.errors.SecurityDisabledException;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.config.ConfigResource;
import io.runnel.broker.protocol.ApiHandler;
import io.runnel.broker.protocol.RequestContext;
import java.net.InetSocketAddress;
import java.util.Set;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.errors.ClusterAuthorizationException;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.TransactionalIdAuthorizationException;
import org.apache.kafka.common.resource.ResourceType;

/**
 * The authorization checks the request handlers make, for the principal and address a request came from: with
 * {@code authorizer.class.name} set they ask the {@link AclAuthorizer}, without it every request is allowed (Kafka
 * without an authorizer).
 */
public final class Authorization {
    /** The name of the CLUSTER resource in Kafka's ACLs. */
    public static final String CLUSTER_NAME = "kafka-cluster";
    /** No authorizer: everything is allowed. */
    public static final Authorization NONE = new Authorization(null);

    private final AclAuthorizer authorizer;

    public Authorization(AclAuthorizer authorizer) {
        this.authorizer = authorizer;
    }

    /** Whether authorization is on: answers then carry the operations actually authorized. */
    public boolean enabled() {
        return authorizer != null;
    }

    public boolean allowed(RequestContext ctx, AclOperation operation, ResourceType type, String name) {
        return authorizer == null || name != null
                && authorizer.authorize(ctx.principal().toString(), host(ctx), operation, type, name);
    }

    public boolean allowedOnCluster(RequestContext ctx, AclOperation operation) {
        return allowed(ctx, operation, ResourceType.CLUSTER, CLUSTER_NAME);
    }

    /** Whether the principal may perform the operation on some resource of the type (Kafka's authorizeByResourceType). */
    public boolean allowedOnAny(RequestContext ctx, AclOperation operation, ResourceType type) {
        return authorizer == null || authorizer.authorizeAny(ctx.principal().toString(), host(ctx), operation, type);
    }

    /** Fails with TOPIC_AUTHORIZATION_FAILED unless the principal may perform the operation on the topic. */
    public void requireOnTopic(RequestContext ctx, AclOperation operation, String topic) {
        if (!allowed(ctx, operation, ResourceType.TOPIC, topic)) {
            throw new TopicAuthorizationException(Set.of(topic));
        }
    }

    /** Fails with GROUP_AUTHORIZATION_FAILED unless the principal may perform the operation on the group. */
    public void requireOnGroup(RequestContext ctx, AclOperation operation, String group) {
        if (!allowed(ctx, operation, ResourceType.GROUP, group)) {
            throw new GroupAuthorizationException("Not authorized to access group: " + group, group);
        }
    }

    /** Fails with TRANSACTIONAL_ID_AUTHORIZATION_FAILED unless the principal may perform the operation on the id. */
    public void requireOnTransactionalId(RequestContext ctx, AclOperation operation, String transactionalId) {
        if (!allowed(ctx, operation, ResourceType.TRANSACTIONAL_ID, transactionalId)) {
            throw new TransactionalIdAuthorizationException("Transactional Id authorization failed.");
        }
    }

    /** Fails with CLUSTER_AUTHORIZATION_FAILED unless the principal may perform the operation on the cluster. */
    public void requireOnCluster(RequestContext ctx, AclOperation operation) {
        if (!allowedOnCluster(ctx, operation)) {
            throw new ClusterAuthorizationException("Request " + ctx.apiKey().name + " needs " + operation
                    + " on the cluster, which " + ctx.principal() + " lacks");
        }
    }

    /**
     * Kafka's check of a config resource: {@code operation} (DESCRIBE_CONFIGS, ALTER_CONFIGS) on the topic, or on the
     * cluster for a broker resource; the error to answer when refused, else NONE (other types are left to the handler).
     */
    public Errors configsRefusal(RequestContext ctx, AclOperation operation, ConfigResource resource) {
        if (resource.type() == ConfigResource.Type.TOPIC) {
            return allowed(ctx, operation, ResourceType.TOPIC, resource.name()) ? Errors.NONE
                    : Errors.TOPIC_AUTHORIZATION_FAILED;
        }
        if (resource.type() == ConfigResource.Type.BROKER || resource.type() == ConfigResource.Type.BROKER_LOGGER) {
            return allowedOnCluster(ctx, operation) ? Errors.NONE : Errors.CLUSTER_AUTHORIZATION_FAILED;
        }
        return Errors.NONE;
    }

    /**
     * Kafka's authorized-operations bit field of a resource: of the operations in {@code supported} (bits by
     * {@link AclOperation#code()}), those the principal may perform.
     */
    public int authorizedOperations(RequestContext ctx, ResourceType type, String name, int supported) {
        if (authorizer == null) {
            return supported;
        }
        int authorized = 0;
        for (AclOperation operation : AclOperation.values()) {
            int bit = 1 << operation.code();
            if ((supported & bit) != 0 && allowed(ctx, operation, type, name)) {
                authorized |= bit;
            }
        }
        return authorized;
    }

    /**
     * {@code handler} behind a check of {@code operation} on the cluster: a principal without it gets the API's error
     * response with CLUSTER_AUTHORIZATION_FAILED, and the handler never sees the request.
     */
    public ApiHandler onCluster(AclOperation operation, ApiHandler handler) {
        return (ctx, request) -> {
            requireOnCluster(ctx, operation);
            return handler.handle(ctx, request);
        };
    }

    /**
     * An ACL API ({@code CreateAcls}, {@code DescribeAcls}, {@code DeleteAcls}) behind the check of {@code operation}
     * on the cluster; without an authorizer it answers SECURITY_DISABLED, as Kafka does.
     */
    public ApiHandler aclApi(AclOperation operation, ApiHandler handler) {
        if (authorizer == null) {
            return (ctx, request) -> {
                throw new SecurityDisabledException("No Authorizer is configured.");
            };
        }
        return onCluster(operation, handler);
    }

    private static String host(RequestContext ctx) {
        InetSocketAddress address = ctx.remoteAddress();
        return address == null || address.getAddress() == null ? "" : address.getAddress().getHostAddress();
    }
}
