package io.runnel.broker.protocol;

import com.codahale.metrics.MetricRegistry;
import io.runnel.broker.metrics.BrokerMetrics;
import io.runnel.broker.quota.ClientQuotas;
import io.runnel.broker.quota.QuotaWindow;
import org.apache.kafka.common.errors.ClusterAuthorizationException;
import org.apache.kafka.common.message.ApiVersionsRequestData;
import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.apache.kafka.common.message.ApiVersionsResponseData.ApiVersion;
import org.apache.kafka.common.message.DescribeClusterRequestData;
import org.apache.kafka.common.message.DescribeClusterResponseData;
import org.apache.kafka.common.message.MetadataResponseData;
import org.apache.kafka.common.message.WriteTxnMarkersRequestData;
import org.apache.kafka.common.message.WriteTxnMarkersResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.quota.ClientQuotaEntity;
import org.apache.kafka.common.security.auth.KafkaPrincipal;
import org.apache.kafka.common.security.auth.SecurityProtocol;
import org.junit.jupiter.api.Test;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ApiDispatcherTest {
    private static final ApiHandler NOT_CALLED = (ctx, request) -> {
        throw new AssertionError("not called");
    };

    @Test
    void advertisesExactlyTheRegisteredKeysAndApiVersionsWithTheirStableRanges() {
        ApiDispatcher dispatcher = new ApiDispatcher().register(ApiKeys.FETCH, NOT_CALLED).register(ApiKeys.METADATA, NOT_CALLED);
        ApiVersionsResponseData response = (ApiVersionsResponseData) dispatch(dispatcher,
            new ApiVersionsRequestData().setClientSoftwareName("test").setClientSoftwareVersion("1.0"), (short) 3);
        assertEquals(Errors.NONE.code(), response.errorCode());
        List<ApiVersion> expected = List.of(ApiKeys.FETCH, ApiKeys.METADATA, ApiKeys.API_VERSIONS).stream()
            .map(key -> new ApiVersion().setApiKey(key.id).setMinVersion(key.oldestVersion()).setMaxVersion(key.latestVersion(false)))
            .toList();
        assertEquals(expected, List.copyOf(response.apiKeys()));
    }

    @Test
    void invalidClientSoftwareNameIsAnInvalidRequest() {
        ApiVersionsResponseData response = (ApiVersionsResponseData) dispatch(new ApiDispatcher(),
            new ApiVersionsRequestData().setClientSoftwareName("no spaces allowed!").setClientSoftwareVersion("1"), (short) 3);
        assertEquals(Errors.INVALID_REQUEST.code(), response.errorCode());
    }

    @Test
    void aThrowingHandlerIsAnsweredWithTheErrorForItsException() {
        ApiDispatcher dispatcher = new ApiDispatcher().register(ApiKeys.DESCRIBE_CLUSTER, (ctx, request) -> {
            throw new ClusterAuthorizationException("denied");
        });
        DescribeClusterResponseData response = (DescribeClusterResponseData) dispatch(dispatcher, new DescribeClusterRequestData(), (short) 1);
        assertEquals(Errors.CLUSTER_AUTHORIZATION_FAILED.code(), response.errorCode());
    }

    @Test
    void aHandlerThrowingAnErrorIsAnsweredWithUnknownServerError() {
        ApiDispatcher dispatcher = new ApiDispatcher().register(ApiKeys.DESCRIBE_CLUSTER, (ctx, request) -> {
            throw new NoClassDefFoundError("io/runnel/Missing");
        });
        DescribeClusterResponseData response = (DescribeClusterResponseData) dispatch(dispatcher, new DescribeClusterRequestData(), (short) 1);
        assertEquals(Errors.UNKNOWN_SERVER_ERROR.code(), response.errorCode());
    }

    @Test
    void aFailedFutureIsAnsweredWithTheErrorForItsCause() {
        ApiDispatcher dispatcher = new ApiDispatcher().register(ApiKeys.DESCRIBE_CLUSTER, (ctx, request) ->
            CompletableFuture.supplyAsync(() -> {
                throw new CompletionException(new ClusterAuthorizationException("denied"));
            }));
        DescribeClusterResponseData response = (DescribeClusterResponseData) dispatch(dispatcher, new DescribeClusterRequestData(), (short) 1);
        assertEquals(Errors.CLUSTER_AUTHORIZATION_FAILED.code(), response.errorCode());
    }

    @Test
    void anUnexpectedFailureIsAnUnknownServerError() {
        ApiDispatcher dispatcher = new ApiDispatcher().register(ApiKeys.DESCRIBE_CLUSTER, (ctx, request) ->
            CompletableFuture.failedFuture(new IllegalStateException("bug")));
        DescribeClusterResponseData response = (DescribeClusterResponseData) dispatch(dispatcher, new DescribeClusterRequestData(), (short) 1);
        assertEquals(Errors.UNKNOWN_SERVER_ERROR.code(), response.errorCode());
    }

    @Test
    void anUnregisteredApiIsAnsweredWithUnsupportedVersion() {
        DescribeClusterResponseData response = (DescribeClusterResponseData) dispatch(new ApiDispatcher(), new DescribeClusterRequestData(), (short) 1);
        assertEquals(Errors.UNSUPPORTED_VERSION.code(), response.errorCode());
    }

    @Test
    void handlersReceiveTheRequestDataAndContext() {
        ApiDispatcher dispatcher = new ApiDispatcher().register(ApiKeys.DESCRIBE_CLUSTER, (ctx, request) -> {
            assertEquals(ApiKeys.DESCRIBE_CLUSTER, ctx.apiKey());
            return CompletableFuture.completedFuture(new DescribeClusterResponseData().setClusterId(
                ctx.clientId() + "/" + ((DescribeClusterRequestData) request).includeClusterAuthorizedOperations()));
        });
        DescribeClusterResponseData response = (DescribeClusterResponseData) dispatch(dispatcher,
            new DescribeClusterRequestData().setIncludeClusterAuthorizedOperations(true), (short) 1);
        assertEquals("wire-client/true", response.clusterId());
    }

    @Test
    void apiVersionsAndDuplicatesCannotBeRegistered() {
        ApiDispatcher dispatcher = new ApiDispatcher().register(ApiKeys.METADATA, NOT_CALLED);
        assertThrows(IllegalArgumentException.class, () -> dispatcher.register(ApiKeys.API_VERSIONS, NOT_CALLED));
        assertThrows(IllegalArgumentException.class, () -> dispatcher.register(ApiKeys.METADATA,
            (ctx, request) -> CompletableFuture.completedFuture(new MetadataResponseData())));
    }

    @Test
    void aClientOverItsRequestPercentageGetsAThrottleTimeInItsResponseAndIsMutedExceptForClusterActions() {
        // A quota no handling fits in: every request's handler time exceeds it.
        ClientQuotas quota = ClientQuotas.requestPercentage(() -> Map.of(new ClientQuotaEntity(
                Collections.singletonMap(ClientQuotaEntity.USER, null)), Map.of("request_percentage", 1e-12)),
                new QuotaWindow(2, 1000), System::currentTimeMillis);
        ApiHandler handling = (ctx, request) -> {
            long started = System.nanoTime();
            while (System.nanoTime() == started) {
                Thread.onSpinWait(); // handling takes time on any clock
            }
            return CompletableFuture.completedFuture(request instanceof DescribeClusterRequestData
                    ? new DescribeClusterResponseData() : new WriteTxnMarkersResponseData());
        };
        ApiDispatcher dispatcher = new ApiDispatcher().requestQuota(quota)
                .register(ApiKeys.DESCRIBE_CLUSTER, handling).register(ApiKeys.WRITE_TXN_MARKERS, handling);

        RequestThrottle throttle = new RequestThrottle();
        DescribeClusterResponseData throttled = (DescribeClusterResponseData) dispatch(dispatcher,
                new DescribeClusterRequestData(), (short) 1, throttle);
        assertEquals(1000, throttled.throttleTimeMs(), "at most one sample window, as Kafka bounds it");
        assertEquals(1000, throttle.ms(), "the connection is muted as long");

        RequestThrottle exempt = new RequestThrottle();
        dispatch(dispatcher, new WriteTxnMarkersRequestData(), (short) 1, exempt);
        assertEquals(0, exempt.ms(), "an inter-broker request is not subject to the request quota");
    }

    @Test
    void eachRequestIsCountedByVersionAndItsErrorCounted() {
        BrokerMetrics metrics = new BrokerMetrics();
        ApiDispatcher dispatcher = new ApiDispatcher().requestMetrics(metrics.requests())
                .register(ApiKeys.DESCRIBE_CLUSTER, (ctx, request) -> {
                    throw new ClusterAuthorizationException("denied");
                });
        dispatch(dispatcher, new DescribeClusterRequestData(), (short) 1);
        dispatch(dispatcher, new DescribeClusterRequestData(), (short) 1);

        MetricRegistry registry = metrics.registry();
        String prefix = "kafka.network:type=RequestMetrics,name=";
        assertEquals(2, registry.getMeters().get(prefix + "RequestsPerSec,request=DescribeCluster,version=1").getCount());
        assertEquals(2, registry.getMeters()
                .get(prefix + "ErrorsPerSec,request=DescribeCluster,error=CLUSTER_AUTHORIZATION_FAILED").getCount());
    }

    private static ApiMessage dispatch(ApiDispatcher dispatcher, ApiMessage request, short version) {
        return dispatch(dispatcher, request, version, new RequestThrottle());
    }

    private static ApiMessage dispatch(ApiDispatcher dispatcher, ApiMessage request, short version,
                                       RequestThrottle throttle) {
        ParsedRequest parsed = ParsedRequest.parse(WireClient.encodeRequest(request, version, 1));
        RequestContext ctx = new RequestContext(parsed.apiKey(), parsed.apiVersion(), parsed.correlationId(), parsed.clientId(),
            "unknown", "unknown", null, "PLAINTEXT", SecurityProtocol.PLAINTEXT, KafkaPrincipal.ANONYMOUS, null,
            throttle);
        return dispatcher.dispatch(ctx, parsed, dispatcher.arrived(parsed)).join();
    }
}
