package io.runnel.broker.handlers;

import io.runnel.broker.config.BrokerConfig;
import io.runnel.broker.config.TopicConfigResolver;
import io.runnel.broker.protocol.ApiHandler;
import io.runnel.broker.protocol.ConfigTypes;
import io.runnel.broker.protocol.RequestContext;
import io.runnel.broker.replica.ReplicaManager;
import io.runnel.broker.security.Authorization;
import io.runnel.metadata.MetadataImage;
import io.runnel.metadata.config.DynamicBrokerConfigDef;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.message.DescribeConfigsRequestData;
import org.apache.kafka.common.message.DescribeConfigsRequestData.DescribeConfigsResource;
import org.apache.kafka.common.message.DescribeConfigsResponseData;
import org.apache.kafka.common.message.DescribeConfigsResponseData.DescribeConfigsResourceResult;
import org.apache.kafka.common.message.DescribeConfigsResponseData.DescribeConfigsResult;
import org.apache.kafka.common.message.DescribeConfigsResponseData.DescribeConfigsSynonym;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * DescribeConfigs for topics (every topic config with its effective value, source and synonyms), for this broker
 * (every broker config, the dynamic ones writable) and for the cluster-wide broker default resource "" (the
 * dynamic defaults set), with the {@code configurationKeys} filter, synonyms and documentation on request.
 */
public final class DescribeConfigsHandler implements ApiHandler {
    private final ReplicaManager replicas;
    private final TopicConfigResolver configs;
    private final BrokerConfig brokerConfig;
    private final Authorization authorization;

    public DescribeConfigsHandler(ReplicaManager replicas, TopicConfigResolver configs, BrokerConfig brokerConfig,
                                  Authorization authorization) {
        this.authorization = authorization;
        this.replicas = replicas;
        this.configs = configs;
        this.brokerConfig = brokerConfig;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestContext ctx, ApiMessage message) {
        DescribeConfigsRequestData request = (DescribeConfigsRequestData) message;
        DescribeConfigsResponseData response = new DescribeConfigsResponseData();
        for (DescribeConfigsResource resource : request.resources()) {
            DescribeConfigsResult result = new DescribeConfigsResult()
                    .setResourceType(resource.resourceType())
                    .setResourceName(resource.resourceName());
            ConfigResource.Type type = ConfigResource.Type.forId(resource.resourceType());
            List<TopicConfigResolver.Entry> entries;
            Errors denied = authorization.configsRefusal(ctx, AclOperation.DESCRIBE_CONFIGS,
                    new ConfigResource(type, resource.resourceName()));
            if (denied != Errors.NONE) {
                result.setErrorCode(denied.code()).setErrorMessage("Authorization failed.");
                entries = List.of();
            } else if (type == ConfigResource.Type.TOPIC) {
                entries = topicEntries(resource.resourceName(), result);
            } else if (type == ConfigResource.Type.BROKER) {
                entries = brokerEntries(resource.resourceName(), result);
            } else {
                result.setErrorCode(Errors.INVALID_REQUEST.code())
                        .setErrorMessage("Config resources of type " + type + " are not supported");
                entries = List.of();
            }
            for (TopicConfigResolver.Entry entry : entries) {
                if (wanted(resource.configurationKeys(), entry.name())) {
                    result.configs().add(toResult(entry, type == ConfigResource.Type.TOPIC, request));
                }
            }
            response.results().add(result);
        }
        return CompletableFuture.completedFuture(response);
    }

    private List<TopicConfigResolver.Entry> topicEntries(String topic, DescribeConfigsResult result) {
        MetadataImage image = replicas.image();
        if (!image.topicsByName().containsKey(topic)) {
            Errors error = MetadataHandler.isValidName(topic) ? Errors.UNKNOWN_TOPIC_OR_PARTITION : Errors.INVALID_TOPIC_EXCEPTION;
            result.setErrorCode(error.code()).setErrorMessage("Topic " + topic + " does not exist");
            return List.of();
        }
        return configs.resolveAll(image.topicConfigs(topic));
    }

    private List<TopicConfigResolver.Entry> brokerEntries(String name, DescribeConfigsResult result) {
        if (name.isEmpty()) {
            return configs.clusterDefaults();
        }
        if (!name.equals(Integer.toString(brokerConfig.nodeId()))) {
            result.setErrorCode(Errors.INVALID_REQUEST.code()).setErrorMessage("Unexpected broker id, expected "
                    + brokerConfig.nodeId() + " or empty string, but received " + name);
            return List.of();
        }
        Set<String> keys = new LinkedHashSet<>(brokerConfig.names());
        keys.addAll(configs.dynamicBrokerKeys());
        List<TopicConfigResolver.Entry> entries = new ArrayList<>(keys.size());
        keys.forEach(key -> entries.add(configs.resolveBroker(key)));
        return entries;
    }

    private static DescribeConfigsResourceResult toResult(TopicConfigResolver.Entry entry, boolean topic,
                                                          DescribeConfigsRequestData request) {
        boolean sensitive = BrokerConfig.isSensitive(entry.name());
        DescribeConfigsResourceResult config = new DescribeConfigsResourceResult()
                .setName(entry.name())
                .setValue(sensitive ? null : entry.value())
                .setConfigSource(entry.source().id)
                .setReadOnly(!topic && !DynamicBrokerConfigDef.isDynamic(entry.name()))
                .setIsSensitive(sensitive)
                .setConfigType(ConfigTypes.wireId(entry.type()))
                .setDocumentation(request.includeDocumentation() ? entry.documentation() : null);
        if (request.includeSynonyms()) {
            entry.synonyms().forEach(s -> config.synonyms().add(new DescribeConfigsSynonym()
                    .setName(s.name()).setValue(sensitive ? null : s.value()).setSource(s.source().id)));
        }
        return config;
    }

    private static boolean wanted(List<String> keys, String name) {
        return keys == null || keys.isEmpty() || keys.contains(name);
    }
}
