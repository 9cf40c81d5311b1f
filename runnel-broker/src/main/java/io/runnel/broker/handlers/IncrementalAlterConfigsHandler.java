package io.runnel.broker.handlers;

import io.runnel.broker.config.DynamicSslConfig;
import io.runnel.broker.config.TopicConfigResolver;
import io.runnel.broker.protocol.ApiHandler;
import io.runnel.broker.protocol.RequestContext;
import io.runnel.broker.security.Authorization;
import io.runnel.metadata.ConfigChange;
import io.runnel.metadata.ConfigResult;
import io.runnel.metadata.Controller;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.message.IncrementalAlterConfigsRequestData;
import org.apache.kafka.common.message.IncrementalAlterConfigsRequestData.AlterConfigsResource;
import org.apache.kafka.common.message.IncrementalAlterConfigsResponseData;
import org.apache.kafka.common.message.IncrementalAlterConfigsResponseData.AlterConfigsResourceResponse;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** IncrementalAlterConfigs (KIP-339): SET, DELETE, APPEND and SUBTRACT on topic and broker configs, via the controller. */
public final class IncrementalAlterConfigsHandler implements ApiHandler {
    private final Controller controller;
    private final int brokerId;
    private final TopicConfigResolver configs;
    private final DynamicSslConfig ssl;
    private final Authorization authorization;

    public IncrementalAlterConfigsHandler(Controller controller, int brokerId, TopicConfigResolver configs,
                                          DynamicSslConfig ssl, Authorization authorization) {
        this.authorization = authorization;
        this.controller = controller;
        this.brokerId = brokerId;
        this.configs = configs;
        this.ssl = ssl;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestContext ctx, ApiMessage message) {
        IncrementalAlterConfigsRequestData request = (IncrementalAlterConfigsRequestData) message;
        IncrementalAlterConfigsResponseData response = new IncrementalAlterConfigsResponseData();
        List<ConfigResource> requested = new ArrayList<>();
        request.resources().forEach(r -> requested.add(resource(r)));
        ConfigResourceCheck check = new ConfigResourceCheck(brokerId, configs, requested);
        Map<ConfigResource, List<ConfigChange>> changes = new LinkedHashMap<>();
        Map<ConfigResource, Map<String, String>> newValues = new LinkedHashMap<>();
        for (AlterConfigsResource r : request.resources()) {
            ConfigResource resource = resource(r);
            List<ConfigChange> resourceChanges = new ArrayList<>();
            Map<String, String> setValues = new HashMap<>();
            r.configs().forEach(c -> {
                AlterConfigOp.OpType op = AlterConfigOp.OpType.forId(c.configOperation());
                resourceChanges.add(new ConfigChange(c.name(), op, c.value()));
                if (op == AlterConfigOp.OpType.SET) {
                    setValues.put(c.name(), c.value());
                }
            });
            Errors denied = authorization.configsRefusal(ctx, AclOperation.ALTER_CONFIGS, resource);
            if (denied != Errors.NONE) {
                response.responses().add(result(new ConfigResult(resource, denied, "Authorization failed.")));
                continue;
            }
            String refusal = check.refusal(resource, setValues);
            if (refusal != null) {
                response.responses().add(result(new ConfigResult(resource, Errors.INVALID_REQUEST, refusal)));
                continue;
            }
            changes.put(resource, resourceChanges);
            newValues.put(resource, setValues);
        }
        return ssl.refuseOrApply(newValues, changes, allowed -> controller.incrementalAlterConfigs(allowed,
                request.validateOnly())).thenApply(results -> {
                    results.forEach(result -> response.responses().add(result(result)));
                    return response;
                });
    }

    private static ConfigResource resource(AlterConfigsResource r) {
        return new ConfigResource(ConfigResource.Type.forId(r.resourceType()), r.resourceName());
    }

    private static AlterConfigsResourceResponse result(ConfigResult result) {
        return new AlterConfigsResourceResponse()
                .setResourceType(result.resource().type().id())
                .setResourceName(result.resource().name())
                .setErrorCode(result.error().code())
                .setErrorMessage(result.message());
    }
}
