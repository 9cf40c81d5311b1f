package io.runnel.metadata;

import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.BrokerHeartbeatRequestData;
import org.apache.kafka.common.message.BrokerRegistrationRequestData;
import org.apache.kafka.common.message.BrokerRegistrationResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.security.auth.SecurityProtocol;

/** Registers brokers as a starting broker does: a registration, then a heartbeat that unfences it. */
public final class BrokerRegistrations {
    private BrokerRegistrations() {
    }

    public static BrokerRegistrationRequestData request(String clusterId, int id, String rack) {
        BrokerRegistrationRequestData request = new BrokerRegistrationRequestData().setBrokerId(id)
                .setClusterId(clusterId).setIncarnationId(Uuid.randomUuid()).setRack(rack);
        request.listeners().add(new BrokerRegistrationRequestData.Listener().setName("PLAINTEXT").setHost("localhost")
                .setPort(9091 + id).setSecurityProtocol(SecurityProtocol.PLAINTEXT.id));
        return request;
    }

    /** Registers broker {@code id} and unfences it; returns its broker epoch. */
    public static long registerUnfenced(Controller controller, String clusterId, int id, String rack) throws Exception {
        BrokerRegistrationResponseData registered = controller.registerBroker(request(clusterId, id, rack))
                .get(30, TimeUnit.SECONDS);
        if (registered.errorCode() != Errors.NONE.code()) {
            throw new AssertionError("Registration of " + id + " failed: " + Errors.forCode(registered.errorCode()));
        }
        controller.brokerHeartbeat(new BrokerHeartbeatRequestData().setBrokerId(id)
                .setBrokerEpoch(registered.brokerEpoch()).setCurrentMetadataOffset(Long.MAX_VALUE))
                .get(30, TimeUnit.SECONDS);
        return registered.brokerEpoch();
    }

    /** Registers and unfences brokers 1 to {@code count}; their broker epochs, indexed by broker id. */
    public static long[] registerUnfenced(Controller controller, String clusterId, int count) throws Exception {
        long[] epochs = new long[count + 1];
        for (int id = 1; id <= count; id++) {
            epochs[id] = registerUnfenced(controller, clusterId, id, null);
        }
        return epochs;
    }
}
