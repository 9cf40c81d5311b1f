package io.runnel.broker.network;

import io.runnel.broker.protocol.ApiDispatcher;
import io.runnel.broker.protocol.WireClient;
import org.apache.kafka.common.message.ApiVersionsRequestData;
import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.apache.kafka.common.message.ApiVersionsResponseData.ApiVersion;
import org.apache.kafka.common.message.DescribeAclsRequestData;
import org.apache.kafka.common.message.DescribeAclsResponseData;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.message.MetadataResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Whatever a client sends, the broker closes (or answers) that connection and keeps serving new ones. */
class MalformedRequestTest {
    private static final short METADATA_VERSION = 12;
    private SocketServer server;
    private int port;

    @BeforeEach
    void start() throws InterruptedException {
        server = TestServers.start(new ApiDispatcher().register(ApiKeys.METADATA, TestServers.metadata(() -> port)));
        port = server.boundPort(TestServers.LISTENER);
    }

    @AfterEach
    void stop() {
        // Whatever path closed the connection, every frame's request memory was given back, and only once.
        TestServers.await(() -> server.requestMemoryReserved() == 0, () -> server.requestMemoryReserved() + " bytes reserved");
        server.close();
    }

    @Test
    void httpGarbageClosesTheConnection() throws IOException {
        assertClosedAfter("GET / HTTP/1.1\r\nHost: broker\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void sizeAboveSocketRequestMaxBytesClosesTheConnection() throws IOException {
        assertClosedAfter(ByteBuffer.allocate(4).putInt(TestServers.MAX_REQUEST_BYTES + 1).array());
    }

    @Test
    void negativeSizeClosesTheConnection() throws IOException {
        assertClosedAfter(ByteBuffer.allocate(4).putInt(-1).array());
    }

    @Test
    void frameTooShortForAHeaderClosesTheConnection() throws IOException {
        assertClosedAfter(ByteBuffer.allocate(10).putInt(6).putShort(ApiKeys.METADATA.id).putShort((short) 12).putShort((short) 0).array());
    }

    @Test
    void truncatedBodyClosesTheConnection() throws IOException {
        ByteBuffer request = WireClient.encodeRequest(new MetadataRequestData(), METADATA_VERSION, 7);
        byte[] truncated = Arrays.copyOf(request.array(), request.remaining() - 2);
        assertClosedAfter(sized(truncated));
    }

    @Test
    void randomBytesInAValidFrameCloseTheConnection() throws IOException {
        ByteBuffer frame = ByteBuffer.allocate(64).putShort(ApiKeys.METADATA.id).putShort(METADATA_VERSION).putInt(3);
        while (frame.hasRemaining()) {
            frame.put((byte) 0xA7); // absurd lengths for the client id and the topic array
        }
        assertClosedAfter(sized(frame.array()));
    }

    @Test
    void unknownApiKeyClosesTheConnection() throws IOException {
        assertClosedAfter(sized(ByteBuffer.allocate(10).putShort((short) 999).putShort((short) 0).putInt(5).putShort((short) -1).array()));
    }

    @Test
    void versionUnknownToTheCodecClosesTheConnection() throws IOException {
        assertClosedAfter(sized(ByteBuffer.allocate(10).putShort(ApiKeys.METADATA.id).putShort((short) 99).putInt(5).putShort((short) -1).array()));
    }

    @Test
    void unknownApiVersionsVersionIsAnsweredAtV0WithTheSupportedRanges() throws IOException {
        try (WireClient client = new WireClient(port)) {
            // Header v2 of a future version: only api key, version and correlation id are meant to be read (KIP-511).
            client.sendRaw(sized(ByteBuffer.allocate(12).putShort(ApiKeys.API_VERSIONS.id).putShort((short) 127)
                .putInt(42).putShort((short) -1).put((byte) 0).put((byte) 0).array()));
            WireClient.Response response = client.receive(ApiKeys.API_VERSIONS, (short) 0);
            assertEquals(42, response.correlationId());
            ApiVersionsResponseData data = (ApiVersionsResponseData) response.body();
            assertEquals(Errors.UNSUPPORTED_VERSION.code(), data.errorCode());
            ApiVersion apiVersions = data.apiKeys().find(ApiKeys.API_VERSIONS.id);
            assertEquals(ApiKeys.API_VERSIONS.latestVersion(false), apiVersions.maxVersion());
            assertNotNull(data.apiKeys().find(ApiKeys.METADATA.id));

            // The client retries at a version both know, on the same connection.
            client.send(new ApiVersionsRequestData().setClientSoftwareName("wire-client").setClientSoftwareVersion("1.0"), (short) 3, 43);
            assertEquals(Errors.NONE.code(), ((ApiVersionsResponseData) client.receive(ApiKeys.API_VERSIONS, (short) 3).body()).errorCode());
        }
    }

    @Test
    void knownButNotAdvertisedApiGetsUnsupportedVersionAndTheConnectionStays() throws IOException {
        try (WireClient client = new WireClient(port)) {
            short version = ApiKeys.DESCRIBE_ACLS.latestVersion(false);
            client.send(new DescribeAclsRequestData().setResourceTypeFilter((byte) 1).setPatternTypeFilter((byte) 1)
                .setOperation((byte) 1).setPermissionType((byte) 1), version, 9);
            WireClient.Response response = client.receive(ApiKeys.DESCRIBE_ACLS, version);
            assertEquals(9, response.correlationId());
            assertEquals(Errors.UNSUPPORTED_VERSION.code(), ((DescribeAclsResponseData) response.body()).errorCode());
            assertServed(client);
        }
    }

    private void assertClosedAfter(byte[] bytes) throws IOException {
        try (WireClient client = new WireClient(port)) {
            client.sendRaw(bytes);
            assertTrue(client.closedByPeer());
        }
        try (WireClient client = new WireClient(port)) {
            assertServed(client);
        }
    }

    private static void assertServed(WireClient client) throws IOException {
        client.send(new MetadataRequestData(), METADATA_VERSION, 100);
        WireClient.Response response = client.receive(ApiKeys.METADATA, METADATA_VERSION);
        assertEquals(100, response.correlationId());
        assertEquals(TestServers.CLUSTER_ID, ((MetadataResponseData) response.body()).clusterId());
    }

    private static byte[] sized(byte[] frame) {
        return ByteBuffer.allocate(4 + frame.length).putInt(frame.length).put(frame).array();
    }
}
