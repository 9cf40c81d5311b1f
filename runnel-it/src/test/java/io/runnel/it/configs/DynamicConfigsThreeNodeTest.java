package io.runnel.it.configs;

import io.runnel.it.ClusterShape;

/** {@link DynamicConfigsTest} on three nodes that replicate every partition three times. */
class DynamicConfigsThreeNodeTest extends DynamicConfigsTest {
    @Override
    ClusterShape shape() {
        return ClusterShape.THREE_NODES;
    }
}
