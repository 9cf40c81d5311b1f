package io.runnel.it.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.message.AlterConfigsRequestData;
import org.apache.kafka.common.message.AlterConfigsResponseData;
import org.apache.kafka.common.message.DescribeConfigsResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;

/** AlterConfigs (the legacy whole-set API) of a topic: DescribeConfigs then shows the value as a dynamic topic config. */
final class AlterConfigsScenario implements ApiScenario {
    @Override
    public ApiKeys api() {
        return ApiKeys.ALTER_CONFIGS;
    }

    @Override
    public void run(Exchange x) throws Exception {
        String retention = Long.toString(3_600_000L * (x.version() + 1));
        AlterConfigsRequestData.AlterableConfigCollection configs = new AlterConfigsRequestData.AlterableConfigCollection();
        configs.add(new AlterConfigsRequestData.AlterableConfig().setName("retention.ms").setValue(retention));
        AlterConfigsRequestData.AlterConfigsResourceCollection resources = new AlterConfigsRequestData.AlterConfigsResourceCollection();
        resources.add(new AlterConfigsRequestData.AlterConfigsResource().setResourceType(ConfigResource.Type.TOPIC.id())
                .setResourceName(Fixture.CONFIG_TOPIC).setConfigs(configs));
        AlterConfigsResponseData response = x.send(new AlterConfigsRequestData().setResources(resources));
        assertEquals(1, response.responses().size(), "resources");
        assertEquals(Errors.NONE.code(), response.responses().get(0).errorCode(), "error");
        assertEquals(Fixture.CONFIG_TOPIC, response.responses().get(0).resourceName(), "resource");

        DescribeConfigsResponseData.DescribeConfigsResourceResult described = DescribeConfigsScenario.describe(x, ApiKeys.DESCRIBE_CONFIGS.latestVersion(false),
                ConfigResource.Type.TOPIC, Fixture.CONFIG_TOPIC, "retention.ms");
        assertEquals(retention, described.value(), "retention.ms after the change");
        assertEquals(DescribeConfigsScenario.DYNAMIC_TOPIC_CONFIG, described.configSource(), "source");
    }
}
