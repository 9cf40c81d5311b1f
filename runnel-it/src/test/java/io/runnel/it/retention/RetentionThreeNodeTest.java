package io.runnel.it.retention;

import io.runnel.it.ClusterShape;

/** {@link RetentionTest} on three nodes that replicate every partition three times. */
class RetentionThreeNodeTest extends RetentionTest {
    @Override
    ClusterShape shape() {
        return ClusterShape.THREE_NODES;
    }
}
