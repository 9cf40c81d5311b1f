package io.runnel.it.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.message.IncrementalAlterConfigsRequestData;
import org.apache.kafka.common.message.IncrementalAlterConfigsResponseData;
import org.apache.kafka.common.message.DescribeConfigsResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;

/** IncrementalAlterConfigs SET of one topic config: DescribeConfigs then shows it as a dynamic topic config. */
final class IncrementalAlterConfigsScenario implements ApiScenario {
    @Override
    public ApiKeys api() {
        return ApiKeys.INCREMENTAL_ALTER_CONFIGS;
    }

    @Override
    public void run(Exchange x) throws Exception {
        String bytes = Long.toString(1_000_000L + x.version());
        IncrementalAlterConfigsRequestData.AlterableConfigCollection configs =
                new IncrementalAlterConfigsRequestData.AlterableConfigCollection();
        configs.add(new IncrementalAlterConfigsRequestData.AlterableConfig().setName("retention.bytes")
                .setConfigOperation(AlterConfigOp.OpType.SET.id()).setValue(bytes));
        IncrementalAlterConfigsRequestData.AlterConfigsResourceCollection resources =
                new IncrementalAlterConfigsRequestData.AlterConfigsResourceCollection();
        resources.add(new IncrementalAlterConfigsRequestData.AlterConfigsResource()
                .setResourceType(ConfigResource.Type.TOPIC.id()).setResourceName(Fixture.CONFIG_TOPIC).setConfigs(configs));
        IncrementalAlterConfigsResponseData response = x.send(new IncrementalAlterConfigsRequestData().setResources(resources));
        assertEquals(1, response.responses().size(), "resources");
        assertEquals(Errors.NONE.code(), response.responses().get(0).errorCode(), "error");

        DescribeConfigsResponseData.DescribeConfigsResourceResult described = DescribeConfigsScenario.describe(x, ApiKeys.DESCRIBE_CONFIGS.latestVersion(false),
                ConfigResource.Type.TOPIC, Fixture.CONFIG_TOPIC, "retention.bytes");
        assertEquals(bytes, described.value(), "retention.bytes after the change");
        assertEquals(DescribeConfigsScenario.DYNAMIC_TOPIC_CONFIG, described.configSource(), "source");
    }
}
