package io.runnel.broker.handlers;

import io.runnel.broker.protocol.ApiHandler;
import io.runnel.broker.protocol.RequestContext;
import io.runnel.broker.replica.ReplicaManager;
import io.runnel.metadata.record.AccessControlEntryRecord;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.message.DescribeAclsRequestData;
import org.apache.kafka.common.message.DescribeAclsResponseData;
import org.apache.kafka.common.message.DescribeAclsResponseData.AclDescription;
import org.apache.kafka.common.message.DescribeAclsResponseData.DescribeAclsResource;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.resource.ResourcePattern;

/**
 * DescribeAcls from this broker's metadata image: the ACLs the filter matches, grouped by resource pattern; a
 * filter with an unknown element is INVALID_REQUEST.
 */
public final class DescribeAclsHandler implements ApiHandler {
    private final ReplicaManager replicas;

    public DescribeAclsHandler(ReplicaManager replicas) {
        this.replicas = replicas;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestContext ctx, ApiMessage message) {
        DescribeAclsRequestData r = (DescribeAclsRequestData) message;
        AclBindingFilter filter = AclFilters.of(r.resourceTypeFilter(), r.resourceNameFilter(), r.patternTypeFilter(),
                r.principalFilter(), r.hostFilter(), r.operation(), r.permissionType());
        DescribeAclsResponseData response = new DescribeAclsResponseData();
        String invalid = AclFilters.invalidReason(filter);
        if (invalid != null) {
            return CompletableFuture.completedFuture(response.setErrorCode(Errors.INVALID_REQUEST.code())
                    .setErrorMessage(invalid));
        }
        Map<ResourcePattern, DescribeAclsResource> resources = new LinkedHashMap<>();
        for (AccessControlEntryRecord acl : replicas.image().acls().values()) {
            AclBinding binding = acl.binding();
            if (!filter.matches(binding)) {
                continue;
            }
            resources.computeIfAbsent(binding.pattern(), p -> new DescribeAclsResource()
                    .setResourceType(p.resourceType().code()).setResourceName(p.name())
                    .setPatternType(p.patternType().code()))
                    .acls().add(new AclDescription().setPrincipal(acl.principal()).setHost(acl.host())
                            .setOperation(acl.operation().code()).setPermissionType(acl.permissionType().code()));
        }
        return CompletableFuture.completedFuture(response.setResources(resources.values().stream().toList()));
    }
}
