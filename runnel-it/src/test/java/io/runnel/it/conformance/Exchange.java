package io.runnel.it.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import io.runnel.it.wire.ApiConnection;
import java.io.IOException;
import java.util.List;
import java.util.Set;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;

/**
 * One scenario run at one version: sends requests at that version on a fresh connection, and checks what every
 * response must satisfy (it parses completely at the version, and no error says the broker failed or refused the
 * version).
 */
final class Exchange implements AutoCloseable {
    /** What an unwritable response or a handler failure turns into. */
    private static final Set<Errors> BROKER_FAILURES = Set.of(Errors.UNSUPPORTED_VERSION, Errors.UNKNOWN_SERVER_ERROR);

    private final ApiKeys api;
    private final short version;
    private final Fixture fixture;
    private final ApiConnection connection;

    Exchange(ApiKeys api, short version, Fixture fixture) throws IOException {
        this.api = api;
        this.version = version;
        this.fixture = fixture;
        this.connection = new ApiConnection(fixture.bootstrapServers(), "conformance-" + api.name + "-v" + version);
    }

    short version() {
        return version;
    }

    /** Whether the version under test is {@code v} or later. */
    boolean atLeast(int v) {
        return version >= v;
    }

    Fixture fixture() {
        return fixture;
    }

    /** The scenario's API at the version under test. */
    @SuppressWarnings("unchecked")
    <T extends ApiMessage> T send(ApiMessage request) throws IOException {
        assertEquals(api.id, request.apiKey(), "a scenario sends its own API at the version under test");
        return (T) sendAt(request, version);
    }

    /** Another request a scenario needs on the way (e.g. JoinGroup before SyncGroup), at a version of its choice. */
    @SuppressWarnings("unchecked")
    <T extends ApiMessage> T sendAt(ApiMessage request, short requestVersion) throws IOException {
        ApiMessage response = connection.send(request, requestVersion);
        String what = ApiKeys.forId(request.apiKey()).name + " v" + requestVersion;
        List<ErrorCodes.Found> failures = ErrorCodes.in(response).stream()
                .filter(f -> BROKER_FAILURES.contains(f.error())).toList();
        if (!failures.isEmpty()) {
            fail(what + " answered " + failures + ": " + response);
        }
        return (T) response;
    }

    @Override
    public void close() throws IOException {
        connection.close();
    }
}
