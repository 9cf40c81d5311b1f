package io.runnel.broker.handlers;

import io.runnel.broker.config.BrokerConfig;
import io.runnel.broker.config.TopicConfigResolver;
import io.runnel.broker.protocol.ApiHandler;
import io.runnel.broker.protocol.RequestContext;
import io.runnel.broker.replica.ReplicaManager;
import io.runnel.metadata.MetadataImage;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.message.DescribeConfigsRequestData;
import org.apache.kafka.common.message.DescribeConfigsResponseData;
import org.apache.kafka.common.message.DescribeConfigsResponseData.DescribeConfigsResourceResult;
import org.apache.kafka.common.message.DescribeConfigsResponseData.DescribeConfigsResult;
import org.apache.kafka.common.message.DescribeConfigsResponseData.DescribeConfigsSynonym;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * DescribeConfigs for topics (every topic config with its effective value, source and synonyms) and
 * for this broker (its static configuration).
 */
public final class DescribeConfigsHandler implements ApiHandler {
    private final ReplicaManager replicas;
    private final TopicConfigResolver topicConfigs;
    private final BrokerConfig brokerConfig;

    public DescribeConfigsHandler(ReplicaManager replicas, TopicConfigResolver topicConfigs, BrokerConfig brokerConfig) {
        this.replicas = replicas;
        this.topicConfigs = topicConfigs;
        this.brokerConfig = brokerConfig;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestContext ctx, ApiMessage message) {
        DescribeConfigsRequestData request = (DescribeConfigsRequestData) message;
        DescribeConfigsResponseData response = new DescribeConfigsResponseData();
        for (DescribeConfigsRequestData.DescribeConfigsResource resource : request.resources()) {
            DescribeConfigsResult result = new DescribeConfigsResult()
                    .setResourceType(resource.resourceType())
                    .setResourceName(resource.resourceName());
            ConfigResource.Type type = ConfigResource.Type.forId(resource.resourceType());
            if (type == ConfigResource.Type.TOPIC) {
                describeTopic(resource, request.includeSynonyms(), result);
            } else if (type == ConfigResource.Type.BROKER) {
                describeBroker(resource, result);
            } else {
                result.setErrorCode(Errors.INVALID_REQUEST.code())
                        .setErrorMessage("Config resources of type " + type + " are not supported");
            }
            response.results().add(result);
        }
        return CompletableFuture.completedFuture(response);
    }

    private void describeTopic(DescribeConfigsRequestData.DescribeConfigsResource resource, boolean includeSynonyms,
                               DescribeConfigsResult result) {
        MetadataImage image = replicas.image();
        String topic = resource.resourceName();
        if (!image.topicsByName().containsKey(topic)) {
            Errors error = MetadataHandler.isValidName(topic) ? Errors.UNKNOWN_TOPIC_OR_PARTITION : Errors.INVALID_TOPIC_EXCEPTION;
            result.setErrorCode(error.code()).setErrorMessage("Topic " + topic + " does not exist");
            return;
        }
        for (TopicConfigResolver.Entry entry : topicConfigs.resolveAll(image.topicConfigs(topic))) {
            if (!wanted(resource.configurationKeys(), entry.name())) {
                continue;
            }
            DescribeConfigsResourceResult config = new DescribeConfigsResourceResult()
                    .setName(entry.name())
                    .setValue(entry.value())
                    .setConfigSource(entry.source().id)
                    .setReadOnly(false)
                    .setIsSensitive(false);
            if (includeSynonyms) {
                entry.synonyms().forEach(s -> config.synonyms().add(new DescribeConfigsSynonym()
                        .setName(s.name()).setValue(s.value()).setSource(s.source().id)));
            }
            result.configs().add(config);
        }
    }

    private void describeBroker(DescribeConfigsRequestData.DescribeConfigsResource resource, DescribeConfigsResult result) {
        String name = resource.resourceName();
        if (name.isEmpty()) {
            // The cluster-wide dynamic default: dynamic broker configs come with a later issue.
            return;
        }
        if (!name.equals(Integer.toString(brokerConfig.nodeId()))) {
            result.setErrorCode(Errors.INVALID_REQUEST.code())
                    .setErrorMessage("Broker " + name + " is not this broker (" + brokerConfig.nodeId() + ")");
            return;
        }
        for (String key : brokerConfig.names()) {
            if (!wanted(resource.configurationKeys(), key)) {
                continue;
            }
            boolean sensitive = key.contains("password");
            result.configs().add(new DescribeConfigsResourceResult()
                    .setName(key)
                    .setValue(sensitive ? null : brokerConfig.get(key))
                    .setConfigSource((brokerConfig.originals().containsKey(key)
                            ? TopicConfigResolver.Source.STATIC_BROKER_CONFIG : TopicConfigResolver.Source.DEFAULT_CONFIG).id)
                    .setReadOnly(true)
                    .setIsSensitive(sensitive));
        }
    }

    private static boolean wanted(List<String> keys, String name) {
        return keys == null || keys.isEmpty() || keys.contains(name);
    }
}
