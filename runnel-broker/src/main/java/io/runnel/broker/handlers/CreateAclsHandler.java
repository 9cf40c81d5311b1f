package io.runnel.broker.handlers;

import io.runnel.broker.protocol.ApiHandler;
import io.runnel.broker.protocol.RequestContext;
import io.runnel.broker.replica.ReplicaManager;
import io.runnel.metadata.AclResult;
import io.runnel.metadata.Controller;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.message.CreateAclsRequestData;
import org.apache.kafka.common.message.CreateAclsRequestData.AclCreation;
import org.apache.kafka.common.message.CreateAclsResponseData;
import org.apache.kafka.common.message.CreateAclsResponseData.AclCreationResult;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

/**
 * CreateAcls: each creation becomes an ACL in the metadata log through the active controller, which validates it;
 * a creation that is a filter rather than one ACL (ANY, MATCH) is INVALID_REQUEST here. Answered once this broker's
 * image has the new ACLs, so the client's next request is checked against them.
 */
public final class CreateAclsHandler implements ApiHandler {
    /** How long the answer waits for this broker to apply the new ACLs. */
    private static final long APPLY_TIMEOUT_MS = 30_000;

    private final Controller controller;
    private final ReplicaManager replicas;

    public CreateAclsHandler(Controller controller, ReplicaManager replicas) {
        this.controller = controller;
        this.replicas = replicas;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestContext ctx, ApiMessage message) {
        CreateAclsRequestData request = (CreateAclsRequestData) message;
        List<AclBinding> bindings = new ArrayList<>();
        AclCreationResult[] results = new AclCreationResult[request.creations().size()];
        List<Integer> forwarded = new ArrayList<>();
        for (int i = 0; i < results.length; i++) {
            AclCreation creation = request.creations().get(i);
            try {
                bindings.add(binding(creation));
                forwarded.add(i);
            } catch (IllegalArgumentException e) {
                results[i] = new AclCreationResult().setErrorCode(Errors.INVALID_REQUEST.code())
                        .setErrorMessage("Invalid ACL creation: " + e.getMessage());
            }
        }
        CompletableFuture<List<AclResult>> created = bindings.isEmpty()
                ? CompletableFuture.completedFuture(List.of())
                : controller.createAcls(bindings).thenCompose(answers ->
                        replicas.awaitApplied(APPLY_TIMEOUT_MS).thenApply(applied -> answers));
        return created.thenApply(answers -> {
            for (int j = 0; j < answers.size(); j++) {
                AclResult answer = answers.get(j);
                results[forwarded.get(j)] = new AclCreationResult().setErrorCode(answer.error().code())
                        .setErrorMessage(answer.message());
            }
            return new CreateAclsResponseData().setResults(List.of(results));
        });
    }

    /** The ACL a creation names; fails with IllegalArgumentException for a filter's ANY or MATCH. */
    private static AclBinding binding(AclCreation c) {
        return new AclBinding(new ResourcePattern(ResourceType.fromCode(c.resourceType()), c.resourceName(),
                PatternType.fromCode(c.resourcePatternType())), new AccessControlEntry(c.principal(), c.host(),
                AclOperation.fromCode(c.operation()), AclPermissionType.fromCode(c.permissionType())));
    }
}
