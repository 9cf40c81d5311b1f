package io.runnel.it.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.message.ApiVersionsRequestData;
import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;

/**
 * ApiVersions: the same ranges at every version, with the features where the version carries them (v3+): the
 * supported ranges (before v4 without those whose minimum is 0), the finalized levels (those above 0) and their epoch;
 * from v5 the check of the cluster and node the client means to reach.
 */
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
        Map<String, String> supported = new TreeMap<>();
        response.supportedFeatures().forEach(f -> supported.put(f.name(), f.minVersion() + ".." + f.maxVersion()));
        Map<String, String> finalized = new TreeMap<>();
        response.finalizedFeatures().forEach(f -> finalized.put(f.name(), f.minVersionLevel() + ".." + f.maxVersionLevel()));
        if (x.atLeast(4)) {
            assertEquals(Map.of("metadata.version", "33..33", "kraft.version", "0..1", "group.version", "0..1",
                    "eligible.leader.replicas.version", "0..1", "transaction.version", "0..2"), supported,
                    "supported features");
        } else if (x.atLeast(3)) {
            // KAFKA-17011: before v4, features whose minimum is 0 are left out.
            assertEquals(Map.of("metadata.version", "33..33"), supported, "supported features");
        } else {
            assertEquals(Map.of(), supported, "no features before v3");
        }
        assertEquals(x.atLeast(3) ? Map.of("metadata.version", "33..33", "kraft.version", "1..1", "group.version", "1..1",
                "eligible.leader.replicas.version", "1..1", "transaction.version", "2..2") : Map.of(), finalized,
                "finalized features");
        assertTrue(x.atLeast(3) ? response.finalizedFeaturesEpoch() >= 0 : response.finalizedFeaturesEpoch() == -1,
                "finalized features epoch " + response.finalizedFeaturesEpoch());
        if (x.atLeast(5)) {
            checkTargetNode(x);
        }
    }

    /** KIP-1242: a client that names the cluster and node it means to reach is turned away from any other. */
    private static void checkTargetNode(Exchange x) throws Exception {
        Fixture f = x.fixture();
        assertEquals(Errors.NONE.code(), target(x, f.clusterId(), f.nodeId()).errorCode(), "this node of this cluster");
        assertEquals(Errors.REBOOTSTRAP_REQUIRED.code(), target(x, "another-cluster", f.nodeId()).errorCode(),
                "another cluster");
        assertEquals(Errors.REBOOTSTRAP_REQUIRED.code(), target(x, f.clusterId(), f.nodeId() + 1).errorCode(),
                "another node");
        assertEquals(Errors.INVALID_REQUEST.code(), target(x, null, f.nodeId()).errorCode(), "a node without a cluster");
    }

    private static ApiVersionsResponseData target(Exchange x, String clusterId, int nodeId) throws Exception {
        return x.send(new ApiVersionsRequestData().setClientSoftwareName("runnel-conformance")
                .setClientSoftwareVersion("1.0").setClusterId(clusterId).setNodeId(nodeId));
    }
}
