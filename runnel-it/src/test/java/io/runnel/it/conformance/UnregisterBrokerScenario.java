package io.runnel.it.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.apache.kafka.common.message.UnregisterBrokerRequestData;
import org.apache.kafka.common.message.UnregisterBrokerResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;

/** UnregisterBroker of a broker id that was never registered: BROKER_ID_NOT_REGISTERED, nothing else changes. */
final class UnregisterBrokerScenario implements ApiScenario {
    private static final int NEVER_REGISTERED = 77;

    @Override
    public ApiKeys api() {
        return ApiKeys.UNREGISTER_BROKER;
    }

    @Override
    public void run(Exchange x) throws Exception {
        UnregisterBrokerResponseData response = x.send(new UnregisterBrokerRequestData().setBrokerId(NEVER_REGISTERED));
        assertEquals(Errors.BROKER_ID_NOT_REGISTERED.code(), response.errorCode(), "error");
        assertEquals(1, x.fixture().admin().describeCluster().nodes().get().size(), "the broker is still listed");
    }
}
