package io.runnel.it.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.apache.kafka.common.message.FindCoordinatorRequestData;
import org.apache.kafka.common.message.FindCoordinatorResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;

/**
 * FindCoordinator of a group and (from v1, which has key types) of a transactional id: one key (v0-v3) or a batch
 * (v4+); the only broker coordinates them.
 */
final class FindCoordinatorScenario implements ApiScenario {
    private static final byte GROUP = 0;
    private static final byte TRANSACTION = 1;
    private static final String TRANSACTIONAL_ID = "conformance-find-coordinator";

    @Override
    public ApiKeys api() {
        return ApiKeys.FIND_COORDINATOR;
    }

    @Override
    public void run(Exchange x) throws Exception {
        find(x, GROUP, Fixture.CLASSIC_GROUP);
        if (x.atLeast(1)) {
            // The first lookup of a transactional id creates __transaction_state.
            TransactionalProducer.awaitCoordinator(x, TRANSACTIONAL_ID);
            find(x, TRANSACTION, TRANSACTIONAL_ID);
        }
    }

    private static void find(Exchange x, byte keyType, String key) throws Exception {
        Fixture f = x.fixture();
        FindCoordinatorRequestData request = new FindCoordinatorRequestData();
        if (x.atLeast(4)) {
            request.setKeyType(keyType).setCoordinatorKeys(List.of(key));
        } else {
            request.setKey(key);
            if (x.atLeast(1)) {
                request.setKeyType(keyType);
            }
        }
        FindCoordinatorResponseData response = x.send(request);
        if (x.atLeast(4)) {
            assertEquals(1, response.coordinators().size(), "coordinators");
            FindCoordinatorResponseData.Coordinator c = response.coordinators().get(0);
            assertEquals(key, c.key(), "key");
            assertEquals(Errors.NONE.code(), c.errorCode(), "error");
            assertEquals(f.nodeId(), c.nodeId(), "coordinator");
            assertEquals("127.0.0.1", c.host(), "host");
            assertEquals(f.brokerPort(), c.port(), "port");
        } else {
            assertEquals(Errors.NONE.code(), response.errorCode(), "error");
            assertEquals(f.nodeId(), response.nodeId(), "coordinator");
            assertEquals("127.0.0.1", response.host(), "host");
            assertEquals(f.brokerPort(), response.port(), "port");
        }
    }
}
