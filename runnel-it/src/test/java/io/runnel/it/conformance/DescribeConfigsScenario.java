package io.runnel.it.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.message.DescribeConfigsRequestData;
import org.apache.kafka.common.message.DescribeConfigsResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;

/**
 * DescribeConfigs of a topic and the broker: values with their source and synonyms (v1+), type and documentation
 * (v3+).
 */
final class DescribeConfigsScenario implements ApiScenario {
    /** DescribeConfigsResponse's config sources and types. */
    static final byte DYNAMIC_TOPIC_CONFIG = 1;
    static final byte DEFAULT_CONFIG = 5;
    static final byte STATIC_BROKER_CONFIG = 4;
    private static final byte TYPE_LIST = 7;

    @Override
    public ApiKeys api() {
        return ApiKeys.DESCRIBE_CONFIGS;
    }

    @Override
    public void run(Exchange x) throws Exception {
        DescribeConfigsResponseData.DescribeConfigsResourceResult cleanup = describe(x, x.version(), ConfigResource.Type.TOPIC,
                Fixture.TOPIC, "cleanup.policy");
        assertEquals("delete", cleanup.value(), "cleanup.policy");
        assertFalse(cleanup.readOnly(), "read-only");
        assertFalse(cleanup.isSensitive(), "sensitive");
        assertEquals(DEFAULT_CONFIG, cleanup.configSource(), "source");
        if (x.atLeast(1)) {
            assertFalse(cleanup.synonyms().isEmpty(), "synonyms (v1+, asked for)");
        }
        if (x.atLeast(3)) {
            assertEquals(TYPE_LIST, cleanup.configType(), "type (v3+)");
            assertNotNull(cleanup.documentation(), "documentation (v3+, asked for)");
        }
        DescribeConfigsResponseData.DescribeConfigsResourceResult partitions = describe(x, x.version(), ConfigResource.Type.BROKER,
                Integer.toString(x.fixture().nodeId()), "num.partitions");
        assertEquals("1", partitions.value(), "num.partitions");
        assertEquals(STATIC_BROKER_CONFIG, partitions.configSource(), "source of num.partitions");
    }

    /** One config of a resource, described at {@code version} (all of its configs asked for). */
    static DescribeConfigsResponseData.DescribeConfigsResourceResult describe(Exchange x, short version, ConfigResource.Type type,
                                                                      String name, String config) throws Exception {
        DescribeConfigsRequestData request = new DescribeConfigsRequestData().setResources(List.of(
                new DescribeConfigsRequestData.DescribeConfigsResource().setResourceType(type.id())
                        .setResourceName(name).setConfigurationKeys(null)));
        if (version >= 1) {
            request.setIncludeSynonyms(true);
        }
        if (version >= 3) {
            request.setIncludeDocumentation(true);
        }
        DescribeConfigsResponseData response = x.sendAt(request, version);
        assertEquals(1, response.results().size(), "resources");
        DescribeConfigsResponseData.DescribeConfigsResult resource = response.results().get(0);
        assertEquals(Errors.NONE.code(), resource.errorCode(), "error describing " + name);
        assertEquals(name, resource.resourceName(), "resource");
        assertTrue(resource.configs().size() > 10, "every config of " + name + ": " + resource.configs().size());
        return resource.configs().stream().filter(c -> c.name().equals(config)).findFirst()
                .orElseThrow(() -> new AssertionError(config + " not described for " + name));
    }
}
