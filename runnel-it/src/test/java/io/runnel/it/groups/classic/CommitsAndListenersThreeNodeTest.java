package io.runnel.it.groups.classic;

import io.runnel.it.ClusterShape;

/** {@link CommitsAndListenersTest} on three nodes that replicate every partition three times. */
class CommitsAndListenersThreeNodeTest extends CommitsAndListenersTest {
    @Override
    ClusterShape shape() {
        return ClusterShape.THREE_NODES;
    }
}
