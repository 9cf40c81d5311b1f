package io.runnel.it.retention;

import io.runnel.it.ClusterShape;

/** {@link CompactionTest} on three nodes that replicate every partition three times. */
class CompactionThreeNodeTest extends CompactionTest {
    @Override
    ClusterShape shape() {
        return ClusterShape.THREE_NODES;
    }
}
