package io.runnel.it.transactions;

import io.runnel.it.ClusterShape;

/** {@link TransactionsTest} on three nodes: markers go to partition leaders across brokers. */
class TransactionsThreeNodeTest extends TransactionsTest {
    @Override
    ClusterShape shape() {
        return ClusterShape.THREE_NODES;
    }
}
