package io.runnel.metadata.quorum;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.runnel.metadata.ConfigChange;
import io.runnel.metadata.ConfigResult;
import io.runnel.metadata.controller.InMemoryMetadataLog;
import io.runnel.metadata.controller.QuorumController;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.message.DescribeQuorumResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.Test;

class ControllerMessagesTest {
    @Test
    void aConfigOperationKafkaDoesNotDefineIsForwardedAndRefusedAsAnInvalidRequest() throws Exception {
        ConfigResource clusterDefault = new ConfigResource(ConfigResource.Type.BROKER, "");
        ControllerMessages.Call<List<ConfigResult>> call = ControllerMessages.incrementalAlterConfigs(
                Map.of(clusterDefault, List.of(new ConfigChange("log.retention.ms", AlterConfigOp.OpType.forId((byte) 9), "1"))),
                false);
        try (QuorumController controller = new QuorumController(new InMemoryMetadataLog(), 1, (short) 1,
                10_000, 9_000, System::nanoTime)) {
            byte[] answer = ControllerMessages.serve(java.util.UUID.randomUUID(), ByteBuffer.wrap(call.bytes()), controller,
                    DescribeQuorumResponseData::new).get();
            List<ConfigResult> results = call.decodeAnswer(ByteBuffer.wrap(answer));
            assertEquals(1, results.size());
            assertEquals(Errors.INVALID_REQUEST, results.get(0).error(), results.get(0).message());
        }
    }
}
