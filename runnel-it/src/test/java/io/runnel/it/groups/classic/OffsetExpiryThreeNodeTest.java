package io.runnel.it.groups.classic;

import io.runnel.it.ClusterShape;

/** {@link OffsetExpiryTest} on three nodes that replicate every partition three times. */
class OffsetExpiryThreeNodeTest extends OffsetExpiryTest {
    @Override
    ClusterShape shape() {
        return ClusterShape.THREE_NODES;
    }
}
