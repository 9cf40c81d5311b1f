package io.runnel.broker.handlers;

import io.runnel.broker.protocol.RequestContext;
import io.runnel.broker.quota.ControllerMutations;

/** The throttle time of a request that created or deleted partitions: in its response, and muting the connection. */
final class MutationThrottle {
    private MutationThrottle() {
    }

    static int of(RequestContext ctx, ControllerMutations.Request quota) {
        int throttleMs = quota.throttleMs();
        ctx.throttle().throttleFor(throttleMs);
        return throttleMs;
    }
}
