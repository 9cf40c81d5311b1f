package io.runnel.it.configs;

import io.runnel.it.ClusterShape;

/** {@link ConfigToolsTest} on three nodes that replicate every partition three times. */
class ConfigToolsThreeNodeTest extends ConfigToolsTest {
    @Override
    ClusterShape shape() {
        return ClusterShape.THREE_NODES;
    }
}
