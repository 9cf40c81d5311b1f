package io.runnel.it.transactions;

import io.runnel.it.ClusterShape;

/** {@link ReadCommittedTest} on three nodes with RF 3: markers are answered once replicated, LSO follows the ISR. */
class ReadCommittedThreeNodeTest extends ReadCommittedTest {
    @Override
    ClusterShape shape() {
        return ClusterShape.THREE_NODES;
    }
}
