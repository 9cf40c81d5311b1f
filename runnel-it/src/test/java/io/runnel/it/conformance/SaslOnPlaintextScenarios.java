package io.runnel.it.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.kafka.common.message.SaslAuthenticateRequestData;
import org.apache.kafka.common.message.SaslAuthenticateResponseData;
import org.apache.kafka.common.message.SaslHandshakeRequestData;
import org.apache.kafka.common.message.SaslHandshakeResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;

/**
 * SaslHandshake and SaslAuthenticate on the fixture's PLAINTEXT listener, where no connection authenticates: as in
 * Kafka, ILLEGAL_SASL_STATE (a SASL listener answers them before anything else, see sasl.SaslWireTest).
 */
final class SaslOnPlaintextScenarios {
    private SaslOnPlaintextScenarios() {
    }

    static final class Handshake implements ApiScenario {
        @Override
        public ApiKeys api() {
            return ApiKeys.SASL_HANDSHAKE;
        }

        @Override
        public void run(Exchange x) throws Exception {
            SaslHandshakeResponseData response = x.send(new SaslHandshakeRequestData().setMechanism("PLAIN"));
            assertEquals(Errors.ILLEGAL_SASL_STATE.code(), response.errorCode(), "error");
            assertEquals(List.of(), response.mechanisms(), "mechanisms");
        }
    }

    static final class Authenticate implements ApiScenario {
        @Override
        public ApiKeys api() {
            return ApiKeys.SASL_AUTHENTICATE;
        }

        @Override
        public void run(Exchange x) throws Exception {
            SaslAuthenticateResponseData response = x.send(new SaslAuthenticateRequestData()
                    .setAuthBytes("\0alice\0alice-secret".getBytes(StandardCharsets.UTF_8)));
            assertEquals(Errors.ILLEGAL_SASL_STATE.code(), response.errorCode(), "error");
            assertEquals(0, response.authBytes().length, "no token");
        }
    }
}
