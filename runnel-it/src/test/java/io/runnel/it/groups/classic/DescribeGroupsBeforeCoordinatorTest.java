package io.runnel.it.groups.classic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.runnel.it.RunnelCluster;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.message.DescribeGroupsRequestData;
import org.apache.kafka.common.message.DescribeGroupsResponseData.DescribedGroup;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.DescribeGroupsRequest;
import org.apache.kafka.common.requests.DescribeGroupsResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * DescribeGroups sent before any FindCoordinator, while the offsets topic does not exist: every version answers
 * COORDINATOR_NOT_AVAILABLE for the group, with the error message only where the version has the field (v6+).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class DescribeGroupsBeforeCoordinatorTest {
    @Test
    void everyVersionAnswersCoordinatorNotAvailable() throws Exception {
        try (RunnelCluster cluster = RunnelCluster.builder().start()) {
            for (short version = ApiKeys.DESCRIBE_GROUPS.oldestVersion();
                 version <= ApiKeys.DESCRIBE_GROUPS.latestVersion(false); version++) {
                DescribeGroupsResponse response = (DescribeGroupsResponse) GroupWire.send(cluster.bootstrapServers(),
                        new DescribeGroupsRequest.Builder(new DescribeGroupsRequestData().setGroups(List.of("g")))
                                .build(version));
                DescribedGroup group = response.data().groups().get(0);
                assertEquals(Errors.COORDINATOR_NOT_AVAILABLE.code(), group.errorCode(), "v" + version);
                if (version < 6) {
                    assertNull(group.errorMessage(), "v" + version);
                } else {
                    assertEquals("The offsets topic does not exist yet", group.errorMessage(), "v" + version);
                }
            }
        }
    }
}
