package io.runnel.it.groups.classic;

import io.runnel.it.ClusterShape;

/** {@link GroupBadInputTest} on three nodes that replicate every partition three times. */
class GroupBadInputThreeNodeTest extends GroupBadInputTest {
    @Override
    ClusterShape shape() {
        return ClusterShape.THREE_NODES;
    }
}
