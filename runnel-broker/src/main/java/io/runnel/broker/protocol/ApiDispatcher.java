package io.runnel.broker.protocol;

import io.runnel.broker.metrics.ApiRequestMetrics;
import io.runnel.broker.metrics.RequestMetrics;
import io.runnel.broker.metrics.RequestTimes;
import io.runnel.broker.metrics.ResponseErrors;
import io.runnel.broker.quota.ClientQuotas;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.errors.RebootstrapRequiredException;
import org.apache.kafka.common.errors.UnsupportedVersionException;
import org.apache.kafka.common.message.ApiVersionsRequestData;
import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.apache.kafka.common.message.ApiVersionsResponseData.ApiVersion;
import org.apache.kafka.common.message.ApiVersionsResponseData.ApiVersionCollection;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.ApiVersionsRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Routes each request to the handler registered for its api key and answers ApiVersions itself, advertising exactly
 * the registered keys (plus ApiVersions) with their stable version ranges, and from v3 the cluster's features.
 */
public final class ApiDispatcher {
    private static final Logger log = LoggerFactory.getLogger(ApiDispatcher.class);

    /** ApiVersions v3 is the first with features. */
    private static final short FIRST_VERSION_WITH_FEATURES = 3;

    /** Copied on write: registration happens at start-up, lookups on every request. */
    private volatile Map<ApiKeys, ApiHandler> handlers = new EnumMap<>(ApiKeys.class);
    /** ApiVersions v5 (KIP-1242) names the cluster and node the client means to reach. */
    private static final short FIRST_VERSION_WITH_TARGET_NODE = 5;

    /** The cluster and node answering, null / -1 until {@link #forNode} says. */
    private volatile String clusterId;
    private volatile int nodeId = -1;
    /** The epoch of the finalized features (Kafka uses the metadata log offset); -1 = unknown. */
    private volatile LongSupplier finalizedFeaturesEpoch = () -> -1L;
    /** request_percentage, null when not enforced. */
    private volatile ClientQuotas requestQuota;
    /** Kafka's request metrics, null when not kept (unit tests of handlers). */
    private volatile RequestMetrics requestMetrics;
    /** A nanosecond of handling, in percent of one thread's second. */
    private static final double PERCENT_PER_NANO = 100.0 / TimeUnit.SECONDS.toNanos(1);

    public synchronized ApiDispatcher register(ApiKeys key, ApiHandler handler) {
        if (key == ApiKeys.API_VERSIONS) {
            throw new IllegalArgumentException("ApiVersions is answered by the dispatcher itself");
        }
        if (handlers.containsKey(key)) {
            throw new IllegalArgumentException("a handler for " + key.name + " is already registered");
        }
        Map<ApiKeys, ApiHandler> copy = new EnumMap<>(ApiKeys.class);
        copy.putAll(handlers);
        copy.put(key, handler);
        handlers = copy;
        return this;
    }

    /**
     * The node this dispatcher answers for: ApiVersions v5 compares the cluster and node a client expects with them
     * (KIP-1242), and reports the finalized features' epoch from {@code finalizedFeaturesEpoch}.
     */
    public ApiDispatcher forNode(String clusterId, int nodeId, LongSupplier finalizedFeaturesEpoch) {
        this.clusterId = clusterId;
        this.nodeId = nodeId;
        this.finalizedFeaturesEpoch = finalizedFeaturesEpoch;
        return this;
    }

    /**
     * Enforces {@code request_percentage}: the time a client's requests spend in their handlers (what runs before the
     * handler returns its future, on the connection's thread), as Kafka counts request handler time; inter-broker
     * requests (cluster actions, a follower's fetches) are exempt.
     */
    public ApiDispatcher requestQuota(ClientQuotas quota) {
        this.requestQuota = quota;
        return this;
    }

    /** Keeps Kafka's kafka.network:type=RequestMetrics of every request dispatched. */
    public ApiDispatcher requestMetrics(RequestMetrics metrics) {
        this.requestMetrics = metrics;
        return this;
    }

    /**
     * A request just arrived: counts it in Kafka's RequestsPerSec (under FetchConsumer or FetchFollower too for a
     * fetch) and starts timing its stages; null when no request metrics are kept.
     */
    public RequestTimes arrived(ParsedRequest request) {
        RequestMetrics metrics = requestMetrics;
        if (metrics == null) {
            return null;
        }
        ApiRequestMetrics api = metrics.of(request.apiKey());
        ApiRequestMetrics fetchFrom = request.apiKey() == ApiKeys.FETCH ? metrics.ofFetchFrom(fromFollower(request)) : null;
        api.request(request.apiVersion());
        if (fetchFrom != null) {
            fetchFrom.request(request.apiVersion());
        }
        return api.arrived(fetchFrom);
    }

    /**
     * Runs the request's handler, noting its time in {@code times} (null when not kept) and counting its errors (a
     * fetch's under Fetch only, as in Kafka). The future completes with the response, or with the API's error
     * response when the handler fails or the api key / version is not advertised; it fails only if no error response
     * can be built.
     */
    public CompletableFuture<ApiMessage> dispatch(RequestContext ctx, ParsedRequest request, RequestTimes times) {
        CompletableFuture<ApiMessage> response;
        long started = System.nanoTime();
        try {
            response = route(ctx, request);
        } catch (Throwable e) {
            // As Kafka's request handler: even an Error becomes the API's error response, so the connection's
            // in-order queue never waits on a request that will not complete.
            response = CompletableFuture.failedFuture(e);
        }
        long handled = System.nanoTime();
        long handlerNanos = handled - started;
        if (times != null) {
            times.handled(started, handled);
            ApiRequestMetrics api = times.api();
            response.whenComplete((message, error) -> ResponseErrors.record(api, message,
                    error == null ? null : cause(error)));
        }
        CompletableFuture<ApiMessage> answered = response.handle((message, error) -> error == null ? message
                : errorResponse(request, error));
        ClientQuotas quota = requestQuota;
        if (quota == null || exempt(request)) {
            return answered;
        }
        int throttleMs = quota.record(ctx.principal().getName(), ctx.clientId(), handlerNanos * PERCENT_PER_NANO);
        if (throttleMs <= 0) {
            return answered;
        }
        ctx.throttle().throttleFor(throttleMs);
        return answered.thenApply(message -> ResponseThrottle.atLeast(message, throttleMs));
    }

    /** Kafka's exemptions from the request quota: inter-broker requests. */
    private static boolean exempt(ParsedRequest request) {
        return request.apiKey().clusterAction || fromFollower(request);
    }

    private static boolean fromFollower(ParsedRequest request) {
        return request.data() instanceof FetchRequestData fetch
                && (fetch.replicaId() >= 0 || fetch.replicaState().replicaId() >= 0);
    }

    private CompletableFuture<ApiMessage> route(RequestContext ctx, ParsedRequest request) {
        if (request.apiKey() == ApiKeys.API_VERSIONS) {
            return CompletableFuture.completedFuture(apiVersions(request));
        }
        ApiHandler handler = handlers.get(request.apiKey());
        if (handler == null || !isAdvertised(request.apiKey(), request.apiVersion())) {
            log.warn("Answering UNSUPPORTED_VERSION to {} from {} (client id '{}'): this broker does not advertise it",
                request, ctx.remoteAddress(), ctx.clientId());
            throw new UnsupportedVersionException(request.apiKey().name + " v" + request.apiVersion() + " is not supported");
        }
        return Objects.requireNonNull(handler.handle(ctx, request.data()), "the handler returned no future");
    }

    private static Throwable cause(Throwable error) {
        return error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    }

    private static ApiMessage errorResponse(ParsedRequest request, Throwable error) {
        Throwable cause = cause(error);
        if (!(cause instanceof ApiException)) {
            log.error("Handler of {} failed; answering {}", request, Errors.forException(cause), cause);
        }
        return request.errorResponse(cause);
    }

    private ApiMessage apiVersions(ParsedRequest request) {
        if (!request.hasBody()) {
            return new ApiVersionsResponseData()
                .setErrorCode(Errors.UNSUPPORTED_VERSION.code())
                .setApiKeys(advertisedVersions());
        }
        if (!((ApiVersionsRequest) request.request()).isValid()) {
            return request.errorResponse(new InvalidRequestException(
                    "invalid client software name or version, or a node id without a cluster id"));
        }
        ApiVersionsRequestData data = (ApiVersionsRequestData) request.data();
        if (request.apiVersion() >= FIRST_VERSION_WITH_TARGET_NODE && data.clusterId() != null && clusterId != null
                && (!data.clusterId().equals(clusterId) || data.nodeId() != nodeId)) {
            // The client's address for that node reaches another broker or cluster: it must bootstrap again.
            return request.errorResponse(new RebootstrapRequiredException("this is node " + nodeId + " of cluster "
                    + clusterId + ", not node " + data.nodeId() + " of cluster " + data.clusterId()));
        }
        ApiVersionsResponseData response = new ApiVersionsResponseData().setApiKeys(advertisedVersions());
        if (request.apiVersion() >= FIRST_VERSION_WITH_FEATURES) {
            response.setSupportedFeatures(FeatureLevels.supported(request.apiVersion()))
                    .setFinalizedFeatures(FeatureLevels.finalized())
                    .setFinalizedFeaturesEpoch(finalizedFeaturesEpoch.getAsLong());
        }
        return response;
    }

    private ApiVersionCollection advertisedVersions() {
        ApiVersionCollection versions = new ApiVersionCollection();
        Map<ApiKeys, ApiHandler> registered = handlers;
        for (ApiKeys key : ApiKeys.values()) {
            if (key == ApiKeys.API_VERSIONS || registered.containsKey(key)) {
                versions.add(advertised(key));
            }
        }
        return versions;
    }

    private static ApiVersion advertised(ApiKeys key) {
        return new ApiVersion().setApiKey(key.id).setMinVersion(key.oldestVersion()).setMaxVersion(key.latestVersion(false));
    }

    private static boolean isAdvertised(ApiKeys key, short version) {
        return version >= key.oldestVersion() && version <= key.latestVersion(false);
    }
}
