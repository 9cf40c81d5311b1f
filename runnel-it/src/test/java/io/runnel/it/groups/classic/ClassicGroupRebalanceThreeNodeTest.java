package io.runnel.it.groups.classic;

import io.runnel.it.ClusterShape;

/** {@link ClassicGroupRebalanceTest} on three nodes that replicate every partition three times. */
class ClassicGroupRebalanceThreeNodeTest extends ClassicGroupRebalanceTest {
    @Override
    ClusterShape shape() {
        return ClusterShape.THREE_NODES;
    }
}
