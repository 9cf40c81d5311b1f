package io.runnel.it.groups.tool;

import io.runnel.it.ClusterShape;

/** {@link ConsumerGroupsCommandTest} on three nodes that replicate every partition three times. */
class ConsumerGroupsCommandThreeNodeTest extends ConsumerGroupsCommandTest {
    @Override
    ClusterShape shape() {
        return ClusterShape.THREE_NODES;
    }
}
