package io.runnel.broker.metrics;

/**
 * One request's way through Kafka's request stages as they exist here, recorded in its request metrics once its
 * response is on the socket: RequestQueueTimeMs from its arrival on the connection's event loop to its handler (about
 * 0: the loop runs the handler at once), LocalTimeMs the handler's own work, RemoteTimeMs the wait for its future
 * (acks=all replication, a parked fetch, the controller), ResponseQueueTimeMs from the complete response to its write
 * (the hop back to the connection's event loop and its turn behind the connection's earlier requests),
 * ResponseSendTimeMs from the write to its bytes being on the socket, and TotalTimeMs all of them. Each moment is set
 * on the connection's event loop, except {@link #completed}, which the completing thread sets before it hands the
 * response to the loop.
 */
public final class RequestTimes {
    private final ApiRequestMetrics api;
    /** FetchConsumer or FetchFollower beside Fetch, else null. */
    private final ApiRequestMetrics fetchFrom;
    private final long arrivedNanos;
    private long handlerStartNanos;
    private long handlerEndNanos;
    private long completedNanos;
    private long dequeuedNanos;

    RequestTimes(ApiRequestMetrics api, ApiRequestMetrics fetchFrom, long arrivedNanos) {
        this.api = api;
        this.fetchFrom = fetchFrom;
        this.arrivedNanos = arrivedNanos;
    }

    /** The metrics of the request's API, where its errors are counted. */
    public ApiRequestMetrics api() {
        return api;
    }

    public void handled(long startNanos, long endNanos) {
        handlerStartNanos = startNanos;
        handlerEndNanos = endNanos;
    }

    public void completed() {
        completedNanos = System.nanoTime();
    }

    public void dequeued() {
        dequeuedNanos = System.nanoTime();
    }

    /** The response is on the socket (or, for a request answered with none, done with): records every stage. */
    public void sent() {
        long sentNanos = System.nanoTime();
        record(api, sentNanos);
        if (fetchFrom != null) {
            record(fetchFrom, sentNanos);
        }
    }

    private void record(ApiRequestMetrics metrics, long sentNanos) {
        metrics.times(handlerStartNanos - arrivedNanos, handlerEndNanos - handlerStartNanos,
                completedNanos - handlerEndNanos, dequeuedNanos - completedNanos, sentNanos - dequeuedNanos,
                sentNanos - arrivedNanos);
    }
}
