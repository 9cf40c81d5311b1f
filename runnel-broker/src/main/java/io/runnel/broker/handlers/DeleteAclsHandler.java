package io.runnel.broker.handlers;

import io.runnel.broker.protocol.ApiHandler;
import io.runnel.broker.protocol.RequestContext;
import io.runnel.broker.replica.ReplicaManager;
import io.runnel.metadata.AclResult;
import io.runnel.metadata.Controller;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.message.DeleteAclsRequestData;
import org.apache.kafka.common.message.DeleteAclsRequestData.DeleteAclsFilter;
import org.apache.kafka.common.message.DeleteAclsResponseData;
import org.apache.kafka.common.message.DeleteAclsResponseData.DeleteAclsFilterResult;
import org.apache.kafka.common.message.DeleteAclsResponseData.DeleteAclsMatchingAcl;
import org.apache.kafka.common.protocol.ApiMessage;

/**
 * DeleteAcls: every ACL a filter matches is deleted through the active controller, one result per filter naming
 * the ACLs it deleted; a filter with an unknown element is INVALID_REQUEST. Answered once this broker's image no
 * longer has them.
 */
public final class DeleteAclsHandler implements ApiHandler {
    /** How long the answer waits for this broker to apply the deletions. */
    private static final long APPLY_TIMEOUT_MS = 30_000;

    private final Controller controller;
    private final ReplicaManager replicas;

    public DeleteAclsHandler(Controller controller, ReplicaManager replicas) {
        this.controller = controller;
        this.replicas = replicas;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestContext ctx, ApiMessage message) {
        DeleteAclsRequestData request = (DeleteAclsRequestData) message;
        List<AclBindingFilter> filters = new ArrayList<>();
        for (DeleteAclsFilter f : request.filters()) {
            filters.add(AclFilters.of(f.resourceTypeFilter(), f.resourceNameFilter(), f.patternTypeFilter(),
                    f.principalFilter(), f.hostFilter(), f.operation(), f.permissionType()));
        }
        CompletableFuture<List<AclResult>> deleted = filters.isEmpty()
                ? CompletableFuture.completedFuture(List.of())
                : controller.deleteAcls(filters).thenCompose(answers ->
                        replicas.awaitApplied(APPLY_TIMEOUT_MS).thenApply(applied -> answers));
        return deleted.thenApply(answers -> {
            DeleteAclsResponseData response = new DeleteAclsResponseData();
            for (AclResult answer : answers) {
                DeleteAclsFilterResult result = new DeleteAclsFilterResult().setErrorCode(answer.error().code())
                        .setErrorMessage(answer.message());
                for (AclBinding acl : answer.deleted()) {
                    result.matchingAcls().add(new DeleteAclsMatchingAcl()
                            .setResourceType(acl.pattern().resourceType().code())
                            .setResourceName(acl.pattern().name())
                            .setPatternType(acl.pattern().patternType().code())
                            .setPrincipal(acl.entry().principal())
                            .setHost(acl.entry().host())
                            .setOperation(acl.entry().operation().code())
                            .setPermissionType(acl.entry().permissionType().code()));
                }
                response.filterResults().add(result);
            }
            return response;
        });
    }
}
