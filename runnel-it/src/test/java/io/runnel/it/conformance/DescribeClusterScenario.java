package io.runnel.it.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import org.apache.kafka.common.message.DescribeClusterRequestData;
import org.apache.kafka.common.message.DescribeClusterResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;

/** DescribeCluster: cluster id, controller, authorized operations and the broker; endpoint type (v1+), fenced flag (v2+). */
final class DescribeClusterScenario implements ApiScenario {
    @Override
    public ApiKeys api() {
        return ApiKeys.DESCRIBE_CLUSTER;
    }

    @Override
    public void run(Exchange x) throws Exception {
        Fixture f = x.fixture();
        DescribeClusterRequestData request = new DescribeClusterRequestData().setIncludeClusterAuthorizedOperations(true);
        if (x.atLeast(1)) {
            request.setEndpointType((byte) 1);
        }
        DescribeClusterResponseData response = x.send(request);
        assertEquals(Errors.NONE.code(), response.errorCode(), "error");
        assertEquals(f.clusterId(), response.clusterId(), "cluster id");
        assertEquals(f.nodeId(), response.controllerId(), "controller id");
        assertEquals(1, response.endpointType(), "endpoint type");
        assertEquals(KafkaOperations.bits(KafkaOperations.CLUSTER), response.clusterAuthorizedOperations(),
                "cluster operations");
        assertEquals(1, response.brokers().size(), "brokers");
        DescribeClusterResponseData.DescribeClusterBroker broker = response.brokers().iterator().next();
        assertEquals(f.nodeId(), broker.brokerId(), "broker id");
        assertEquals("127.0.0.1", broker.host(), "host");
        assertEquals(f.brokerPort(), broker.port(), "port");
        assertFalse(broker.isFenced(), "fenced");
    }
}
