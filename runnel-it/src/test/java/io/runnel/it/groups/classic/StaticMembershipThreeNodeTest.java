package io.runnel.it.groups.classic;

import io.runnel.it.ClusterShape;

/** {@link StaticMembershipTest} on three nodes that replicate every partition three times. */
class StaticMembershipThreeNodeTest extends StaticMembershipTest {
    @Override
    ClusterShape shape() {
        return ClusterShape.THREE_NODES;
    }
}
