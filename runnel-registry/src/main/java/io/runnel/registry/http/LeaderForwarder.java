package io.runnel.registry.http;

import io.runnel.registry.RegistryException;
import io.runnel.registry.leader.LeaderElection;
import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Sends each write to the leader, as Confluent's registry does: the leader's own writes run here, a follower passes
 * the request on (method, path, query, body, content type and credentials) and answers the leader's response as it
 * is. 50004 when no instance leads, 50003 when the leader cannot be reached. A forwarded request is never forwarded
 * again, so instances that disagree about the leader for a moment cannot bounce a write between them.
 */
final class LeaderForwarder {
    static final String FORWARDED_HEADER = "X-Runnel-Forwarded-By";
    /** How long a write waits for a rebalance to elect a leader: within one session timeout it has one. */
    private static final Duration LEADER_WAIT = Duration.ofSeconds(10);
    private static final Duration FORWARD_TIMEOUT = Duration.ofSeconds(60);

    private final LeaderElection election;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    LeaderForwarder(LeaderElection election) {
        this.election = election;
    }

    /** Runs {@code local} when this instance leads, else forwards the request to the leader. */
    void route(RoutingContext ctx, Handler<RoutingContext> local) {
        Context context = ctx.vertx().getOrCreateContext();
        election.leader(LEADER_WAIT).whenComplete((leader, failure) -> context.runOnContext(v -> {
            if (failure != null || leader.url() == null) {
                Replies.ERRORS.fail(ctx, RegistryException.unknownLeader(failure != null
                        ? "no leader was elected within " + LEADER_WAIT.toSeconds() + " s"
                        : "no instance of the group is eligible to lead"));
            } else if (leader.self()) {
                local.handle(ctx);
            } else if (ctx.request().getHeader(FORWARDED_HEADER) != null) {
                Replies.ERRORS.fail(ctx, RegistryException.unknownLeader("this instance received a forwarded "
                        + "write but is not the leader (" + leader.url() + " is)"));
            } else {
                forward(ctx, context, leader.url());
            }
        }));
    }

    private void forward(RoutingContext ctx, Context context, String leaderUrl) {
        Buffer body = ctx.body().buffer();
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(leaderUrl + ctx.request().uri()))
                .timeout(FORWARD_TIMEOUT).header(FORWARDED_HEADER, election.url())
                .method(ctx.request().method().name(), body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body.getBytes()));
        for (String header : new String[] {"Content-Type", "Accept", "Authorization"}) {
            String value = ctx.request().getHeader(header);
            if (value != null) {
                request.header(header, value);
            }
        }
        client.sendAsync(request.build(), HttpResponse.BodyHandlers.ofByteArray())
                .whenComplete((response, failure) -> context.runOnContext(v -> {
                    if (failure != null) {
                        Replies.ERRORS.fail(ctx, RegistryException.forwardingFailed(leaderUrl + ": "
                                + (failure.getCause() != null ? failure.getCause() : failure)));
                        return;
                    }
                    ctx.response().setStatusCode(response.statusCode()).putHeader("Content-Type", response.headers()
                            .firstValue("Content-Type").orElse(Replies.CONTENT_TYPE))
                            .end(Buffer.buffer(response.body()));
                }));
    }
}
