package io.runnel.it.transactions;

import io.runnel.it.ClusterShape;

/**
 * {@link TransactionsCommandTest} on three nodes with RF 3: the tool's Admin calls reach the partition leaders and the
 * transaction coordinator wherever they are, and the abort marker is answered once replicated.
 */
class TransactionsCommandThreeNodeTest extends TransactionsCommandTest {
    @Override
    ClusterShape shape() {
        return ClusterShape.THREE_NODES;
    }
}
