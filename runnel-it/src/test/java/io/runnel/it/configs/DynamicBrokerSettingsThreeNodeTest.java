package io.runnel.it.configs;

import io.runnel.it.ClusterShape;

/** {@link DynamicBrokerSettingsTest} on three nodes that replicate every partition three times. */
class DynamicBrokerSettingsThreeNodeTest extends DynamicBrokerSettingsTest {
    @Override
    ClusterShape shape() {
        return ClusterShape.THREE_NODES;
    }
}
