package io.runnel.it.groups.consumer;

import io.runnel.it.ClusterShape;

/** {@link ConsumerProtocolGroupTest} on three nodes that replicate every partition three times. */
class ConsumerProtocolGroupThreeNodeTest extends ConsumerProtocolGroupTest {
    @Override
    ClusterShape shape() {
        return ClusterShape.THREE_NODES;
    }
}
