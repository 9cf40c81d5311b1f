package io.runnel.it.groups.classic;

import io.runnel.it.ClusterShape;

/** {@link GroupAdminTest} on three nodes that replicate every partition three times. */
class GroupAdminThreeNodeTest extends GroupAdminTest {
    @Override
    ClusterShape shape() {
        return ClusterShape.THREE_NODES;
    }
}
