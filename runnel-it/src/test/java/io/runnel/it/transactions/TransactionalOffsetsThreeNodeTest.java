package io.runnel.it.transactions;

import io.runnel.it.ClusterShape;

/**
 * {@link TransactionalOffsetsTest} on three nodes: the offsets partition is replicated, markers reach its leader from
 * the transaction coordinator's broker, and a stopped leader's successor replays the pending offsets.
 */
class TransactionalOffsetsThreeNodeTest extends TransactionalOffsetsTest {
    @Override
    ClusterShape shape() {
        return ClusterShape.THREE_NODES;
    }
}
