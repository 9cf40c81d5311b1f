package io.runnel.broker.protocol;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.requests.DescribeConfigsResponse;

/** DescribeConfigs' wire id of a config's type (the enum lives in kafka-clients' internal requests package). */
public final class ConfigTypes {
    private ConfigTypes() {
    }

    public static byte wireId(ConfigDef.Type type) {
        return type == null ? DescribeConfigsResponse.ConfigType.UNKNOWN.id()
                : DescribeConfigsResponse.ConfigType.valueOf(type.name()).id();
    }
}
