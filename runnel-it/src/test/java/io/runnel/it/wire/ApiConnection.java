package io.runnel.it.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.runnel.it.RawConnection;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.time.Duration;
import org.apache.kafka.common.message.RequestHeaderData;
import org.apache.kafka.common.message.ResponseHeaderData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.ObjectSerializationCache;

/**
 * One connection that sends any {@code *RequestData} at a chosen version and reads the response at that version, as
 * a client of that version would: the response must parse completely, header and body.
 */
public final class ApiConnection implements AutoCloseable {
    private final RawConnection connection;
    private final String clientId;
    private int correlationId;

    public ApiConnection(String bootstrapServers, String clientId) throws IOException {
        this(bootstrapServers, null, clientId);
    }

    /** A connection from {@code localAddress}, or from any address if null. */
    public ApiConnection(String bootstrapServers, InetAddress localAddress, String clientId) throws IOException {
        this.connection = new RawConnection(bootstrapServers, localAddress);
        this.clientId = clientId;
    }

    /** A connection over a socket already connected, such as a TLS one. */
    public ApiConnection(Socket connected, String clientId) throws IOException {
        this.connection = new RawConnection(connected);
        this.clientId = clientId;
    }

    /** See {@link RawConnection#setReadTimeout}. */
    public void setReadTimeout(Duration timeout) throws IOException {
        connection.setReadTimeout(timeout);
    }

    /** Sends the request at {@code version} and returns the response body read at that version. */
    public ApiMessage send(ApiMessage request, short version) throws IOException {
        ApiKeys key = ApiKeys.forId(request.apiKey());
        int correlation = sendOnly(request, version);
        ByteBuffer response = connection.receiveFrame();
        ByteBufferAccessor reader = new ByteBufferAccessor(response);
        ResponseHeaderData responseHeader = new ResponseHeaderData(reader, key.responseHeaderVersion(version));
        assertEquals(correlation, responseHeader.correlationId(), "correlation id of the " + key.name + " response");
        ApiMessage body = key.messageType.newResponse();
        body.read(reader, version);
        assertEquals(0, response.remaining(), key.name + " v" + version + " response has bytes after its body");
        return body;
    }

    /** Sends the request at {@code version} without reading a response; returns its correlation id. */
    public int sendOnly(ApiMessage request, short version) throws IOException {
        ApiKeys key = ApiKeys.forId(request.apiKey());
        int correlation = ++correlationId;
        RequestHeaderData header = new RequestHeaderData().setRequestApiKey(key.id).setRequestApiVersion(version)
                .setCorrelationId(correlation).setClientId(clientId);
        short headerVersion = key.requestHeaderVersion(version);
        ObjectSerializationCache cache = new ObjectSerializationCache();
        int size = header.size(cache, headerVersion) + request.size(cache, version);
        ByteBuffer buffer = ByteBuffer.allocate(size);
        ByteBufferAccessor writer = new ByteBufferAccessor(buffer);
        header.write(writer, cache, headerVersion);
        request.write(writer, cache, version);
        connection.sendFrame(buffer.flip());
        return correlation;
    }

    /** The broker closes this connection, having answered or not; see {@link RawConnection#assertClosedByBroker}. */
    public void assertClosedByBroker() throws IOException {
        connection.assertClosedByBroker();
    }

    @Override
    public void close() throws IOException {
        connection.close();
    }
}
