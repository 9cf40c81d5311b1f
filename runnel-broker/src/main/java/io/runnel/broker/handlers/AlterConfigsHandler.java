package io.runnel.broker.handlers;

import io.runnel.broker.config.DynamicSslConfig;
import io.runnel.broker.config.TopicConfigResolver;
import io.runnel.broker.protocol.ApiHandler;
import io.runnel.broker.protocol.RequestContext;
import io.runnel.broker.security.Authorization;
import io.runnel.metadata.ConfigResult;
import io.runnel.metadata.Controller;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.message.AlterConfigsRequestData;
import org.apache.kafka.common.message.AlterConfigsRequestData.AlterConfigsResource;
import org.apache.kafka.common.message.AlterConfigsResponseData;
import org.apache.kafka.common.message.AlterConfigsResponseData.AlterConfigsResourceResponse;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** The legacy AlterConfigs: each resource's dynamic configs become exactly the ones sent (unset keys are deleted). */
public final class AlterConfigsHandler implements ApiHandler {
    private final Controller controller;
    private final int brokerId;
    private final TopicConfigResolver configs;
    private final DynamicSslConfig ssl;
    private final Authorization authorization;

    public AlterConfigsHandler(Controller controller, int brokerId, TopicConfigResolver configs, DynamicSslConfig ssl,
                               Authorization authorization) {
        this.authorization = authorization;
        this.controller = controller;
        this.brokerId = brokerId;
        this.configs = configs;
        this.ssl = ssl;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestContext ctx, ApiMessage message) {
        AlterConfigsRequestData request = (AlterConfigsRequestData) message;
        AlterConfigsResponseData response = new AlterConfigsResponseData();
        List<ConfigResource> requested = new ArrayList<>();
        request.resources().forEach(r -> requested.add(resource(r)));
        ConfigResourceCheck check = new ConfigResourceCheck(brokerId, configs, requested);
        Map<ConfigResource, Map<String, String>> changes = new LinkedHashMap<>();
        for (AlterConfigsResource r : request.resources()) {
            ConfigResource resource = resource(r);
            Map<String, String> values = new HashMap<>();
            r.configs().forEach(c -> values.put(c.name(), c.value()));
            Errors denied = authorization.configsRefusal(ctx, AclOperation.ALTER_CONFIGS, resource);
            if (denied != Errors.NONE) {
                response.responses().add(result(new ConfigResult(resource, denied, "Authorization failed.")));
                continue;
            }
            String refusal = check.refusal(resource, values);
            if (refusal != null) {
                response.responses().add(result(new ConfigResult(resource, Errors.INVALID_REQUEST, refusal)));
                continue;
            }
            changes.put(resource, values);
        }
        return ssl.refuseOrApply(changes, changes, allowed -> controller.replaceConfigs(allowed, request.validateOnly()))
                .thenApply(results -> {
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
