package io.runnel.it.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.apache.kafka.common.message.FindCoordinatorRequestData;
import org.apache.kafka.common.message.FindCoordinatorResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;

/** FindCoordinator of a group: one key (v0-v3) or a batch (v4+); the only broker coordinates it. */
final class FindCoordinatorScenario implements ApiScenario {
    @Override
    public ApiKeys api() {
        return ApiKeys.FIND_COORDINATOR;
    }

    @Override
    public void run(Exchange x) throws Exception {
        Fixture f = x.fixture();
        FindCoordinatorRequestData request = new FindCoordinatorRequestData();
        if (x.atLeast(4)) {
            request.setKeyType((byte) 0).setCoordinatorKeys(List.of(Fixture.CLASSIC_GROUP));
        } else {
            request.setKey(Fixture.CLASSIC_GROUP);
        }
        FindCoordinatorResponseData response = x.send(request);
        if (x.atLeast(4)) {
            assertEquals(1, response.coordinators().size(), "coordinators");
            FindCoordinatorResponseData.Coordinator c = response.coordinators().get(0);
            assertEquals(Fixture.CLASSIC_GROUP, c.key(), "key");
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
