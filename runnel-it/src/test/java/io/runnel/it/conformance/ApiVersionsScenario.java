package io.runnel.it.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import org.apache.kafka.common.message.ApiVersionsRequestData;
import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;

/** ApiVersions: the same ranges at every version, with the feature levels where the version carries them (v3+). */
final class ApiVersionsScenario implements ApiScenario {
    @Override
    public ApiKeys api() {
        return ApiKeys.API_VERSIONS;
    }

    @Override
    public void run(Exchange x) throws Exception {
        ApiVersionsRequestData request = new ApiVersionsRequestData();
        if (x.atLeast(3)) {
            request.setClientSoftwareName("runnel-conformance").setClientSoftwareVersion("1.0");
        }
        ApiVersionsResponseData response = x.send(request);
        assertEquals(Errors.NONE.code(), response.errorCode(), "error");
        ApiVersionsResponseData.ApiVersionCollection expected =
                ProtocolConformanceTest.advertised(x.fixture().bootstrapServers());
        assertEquals(expected, response.apiKeys(), "advertised ranges");
        ApiVersionsResponseData.ApiVersion self = response.apiKeys().find(ApiKeys.API_VERSIONS.id);
        assertNotNull(self, "ApiVersions advertises itself");
    }
}
