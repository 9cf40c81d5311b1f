package io.runnel.broker.protocol;

import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.RequestHeader;

import java.nio.ByteBuffer;

/**
 * One request as read off the wire: header and body. An ApiVersions request of a version this codec does not know
 * has no body (KIP-511: it is answered at v0 with the supported ranges).
 */
public final class ParsedRequest {
    /** api key, api version, correlation id: what can be read from any header version. */
    private static final int HEADER_PREFIX_BYTES = 8;

    private final ApiKeys apiKey;
    private final short apiVersion;
    private final int correlationId;
    private final RequestHeader header;
    private final AbstractRequest request;

    private ParsedRequest(ApiKeys apiKey, short apiVersion, int correlationId, RequestHeader header, AbstractRequest request) {
        this.apiKey = apiKey;
        this.apiVersion = apiVersion;
        this.correlationId = correlationId;
        this.header = header;
        this.request = request;
    }

    /**
     * Parses one frame (without its size prefix). The body's record sections stay views of {@code frame}.
     *
     * @throws InvalidRequestException for truncated or malformed input, an unknown api key, or a version this codec
     *                                 cannot read; the message names the api key and version when they are known
     */
    public static ParsedRequest parse(ByteBuffer frame) {
        if (frame.remaining() < HEADER_PREFIX_BYTES) {
            throw new InvalidRequestException("truncated request header of " + frame.remaining() + " bytes");
        }
        int start = frame.position();
        short keyId = frame.getShort(start);
        short version = frame.getShort(start + 2);
        int correlationId = frame.getInt(start + 4);
        if (!ApiKeys.hasId(keyId)) {
            throw new InvalidRequestException("unknown api key " + keyId + " (version " + version + ")");
        }
        ApiKeys key = ApiKeys.forId(keyId);
        if (!key.isVersionSupported(version)) {
            if (key == ApiKeys.API_VERSIONS) {
                return new ParsedRequest(key, version, correlationId, null, null);
            }
            throw new InvalidRequestException("unsupported version " + version + " of " + key.name);
        }
        try {
            RequestHeader header = RequestHeader.parse(frame);
            AbstractRequest request = AbstractRequest.parseRequest(key, version, new ByteBufferAccessor(frame)).request;
            return new ParsedRequest(key, version, correlationId, header, request);
        } catch (RuntimeException e) {
            throw new InvalidRequestException("malformed " + key.name + " v" + version + " request: " + e, e);
        }
    }

    public ApiKeys apiKey() {
        return apiKey;
    }

    public short apiVersion() {
        return apiVersion;
    }

    public int correlationId() {
        return correlationId;
    }

    public String clientId() {
        return header == null ? "" : header.clientId();
    }

    /** The {@code *RequestData}; null for an ApiVersions request of an unknown version. */
    public ApiMessage data() {
        return request == null ? null : request.data();
    }

    /** Produce with acks=0 is the one request the client expects no response to. */
    public boolean expectsResponse() {
        return !(data() instanceof ProduceRequestData produce && produce.acks() == 0);
    }

    /**
     * The API's response carrying {@code Errors.forException(error)} everywhere an error code fits; null when the
     * request {@linkplain #expectsResponse() expects no response}.
     */
    public ApiMessage errorResponse(Throwable error) {
        if (request == null) {
            throw new IllegalStateException("no error response for " + this + ": its version is unknown");
        }
        AbstractResponse response = request.getErrorResponse(0, error);
        return response == null ? null : response.data();
    }

    /** Whether the body was read, i.e. the version is one this codec knows. */
    boolean hasBody() {
        return request != null;
    }

    AbstractRequest request() {
        return request;
    }

    /** The version the response is written at: v0 for an ApiVersions request of an unknown version (KIP-511). */
    short responseVersion() {
        return request == null ? 0 : apiVersion;
    }

    short responseHeaderVersion() {
        return header == null ? 0 : header.toResponseHeader().headerVersion();
    }

    @Override
    public String toString() {
        return apiKey.name + " v" + apiVersion + " (correlation id " + correlationId + ")";
    }
}
