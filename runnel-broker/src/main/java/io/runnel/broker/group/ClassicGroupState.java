package io.runnel.broker.group;

/** The states of a classic group, named as ListGroups and DescribeGroups report them. */
enum ClassicGroupState {
    EMPTY("Empty"),
    PREPARING_REBALANCE("PreparingRebalance"),
    COMPLETING_REBALANCE("CompletingRebalance"),
    STABLE("Stable"),
    DEAD("Dead");

    final String displayName;

    ClassicGroupState(String displayName) {
        this.displayName = displayName;
    }
}
