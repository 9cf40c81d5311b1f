package io.runnel.broker.protocol;

import io.runnel.broker.network.ConnectionLimits;
import io.runnel.broker.network.ListenerSpec;
import io.runnel.broker.network.NetworkConfig;
import io.runnel.broker.network.SocketServer;
import io.runnel.storage.LogSlice;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.record.internal.BaseRecords;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.security.auth.SecurityProtocol;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A fetch handler's log slices reach the client byte for byte, and the segment file stays open. */
class ZeroCopyFetchTest {
    private static final short FETCH_VERSION = ApiKeys.FETCH.latestVersion(false);

    @Test
    void logSlicesAreSentExactlyAndTheSegmentStaysOpen(@TempDir Path dir) throws Exception {
        byte[] segment = new byte[64 * 1024];
        new Random(42).nextBytes(segment);
        Path file = Files.write(dir.resolve("00000000000000000000.log"), segment);
        Uuid topicId = Uuid.randomUuid();

        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            ApiDispatcher dispatcher = new ApiDispatcher().register(ApiKeys.FETCH, (ctx, request) ->
                CompletableFuture.completedFuture(new FetchResponseData().setResponses(List.of(
                    new FetchResponseData.FetchableTopicResponse().setTopicId(topicId).setPartitions(List.of(
                        partition(0, LogSliceRecords.of(new LogSlice(channel, 100, 40_000))),
                        partition(1, LogSliceRecords.of(LogSlice.EMPTY)),
                        partition(2, LogSliceRecords.of(new LogSlice(channel, 50_000, 7)))))))));
            try (SocketServer server = new SocketServer(
                List.of(new ListenerSpec("PLAINTEXT", "127.0.0.1", 0, SecurityProtocol.PLAINTEXT)), Map.of(), Map.of(),
                new NetworkConfig(1024 * 1024, 1, 0, 0, 600_000, 100, -1, ConnectionLimits.NONE), dispatcher)) {
                server.start();
                try (WireClient client = new WireClient(server.boundPort("PLAINTEXT"))) {
                    for (int correlationId = 1; correlationId <= 2; correlationId++) {
                        client.send(new FetchRequestData().setReplicaId(-1).setMaxBytes(1 << 20), FETCH_VERSION, correlationId);
                        WireClient.Response response = client.receive(ApiKeys.FETCH, FETCH_VERSION);
                        assertEquals(correlationId, response.correlationId());
                        List<FetchResponseData.PartitionData> partitions =
                            ((FetchResponseData) response.body()).responses().get(0).partitions();
                        assertArrayEquals(Arrays.copyOfRange(segment, 100, 40_100), bytes(partitions.get(0)));
                        assertEquals(0, bytes(partitions.get(1)).length);
                        assertArrayEquals(Arrays.copyOfRange(segment, 50_000, 50_007), bytes(partitions.get(2)));
                        assertEquals(1234L, partitions.get(2).highWatermark(), "what follows a file region is intact");
                    }
                }
            }
            assertTrue(channel.isOpen(), "the log owns the segment's channel");
        }
    }

    private static FetchResponseData.PartitionData partition(int index, BaseRecords records) {
        return new FetchResponseData.PartitionData().setPartitionIndex(index).setHighWatermark(1234).setRecords(records);
    }

    private static byte[] bytes(FetchResponseData.PartitionData partition) {
        ByteBuffer buffer = ((MemoryRecords) partition.records()).buffer();
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        return bytes;
    }
}
