package io.runnel.http;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.file.FileSystemOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One HTTP service's listeners on a Vert.x of its own. Requests are bounded (line, headers, body) and idle
 * connections closed, so no client can hold the service or the broker it runs in; every failure is answered by its
 * {@link HttpErrors}.
 */
public final class HttpService implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HttpService.class);
    private static final long START_TIMEOUT_SECONDS = 30;

    /**
     * The bounds of a service. {@code maxBodyBytes} 0 reads no body (a service of GETs only); otherwise bodies are
     * read whole, up to that size (413 beyond), and never written to disk.
     */
    public record Limits(int workerThreads, int idleTimeoutSeconds, int maxInitialLine, int maxHeaders,
                         long maxBodyBytes) {
    }

    private static final Set<HttpMethod> FORM_METHODS = Set.of(HttpMethod.POST, HttpMethod.PUT, HttpMethod.PATCH,
            HttpMethod.DELETE);

    private final String name;
    private final Vertx vertx;
    private final List<HttpServer> servers = new ArrayList<>();

    /**
     * Binds every listener now, {@code https://} ones with the endpoints' TLS; one that cannot bind fails start-up
     * naming {@code name} (e.g. "the schema registry (schema.registry.listeners)") and the cause. Every request is
     * first authenticated when the endpoints ask for it. {@code routes} adds the service's handlers to the router.
     */
    public HttpService(String name, HttpEndpoints endpoints, Limits limits, HttpErrors errors,
                       Consumer<Router> routes) {
        this.name = name;
        // One event loop: handlers answer at once or hand their work to other threads; no file cache in the
        // working directory.
        vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(limits.workerThreads())
                .setFileSystemOptions(new FileSystemOptions().setFileCachingEnabled(false)
                        .setClassPathResolvingEnabled(false)));
        Router router = Router.router(vertx);
        if (endpoints.auth() != null) {
            // Before the body is read: an unknown client's body is never buffered.
            router.route().handler(endpoints.auth().handler(errors));
        }
        if (limits.maxBodyBytes() > 0) {
            // Vert.x decodes a form only in a POST, PUT, PATCH or DELETE and fails any other request that names a
            // form content type (as a client following a redirect after a POST keeps doing): such a request is
            // passed on without its body. Other bodies are read whatever the method: Confluent's REST API takes one
            // in some GETs.
            BodyHandler body = BodyHandler.create(false).setBodyLimit(limits.maxBodyBytes());
            router.route().handler(ctx -> {
                if (carriesForm(ctx.request()) && !FORM_METHODS.contains(ctx.request().method())) {
                    ctx.next();
                } else {
                    body.handle(ctx);
                }
            });
        }
        routes.accept(router);
        errors.install(router);
        try {
            for (HttpListener listener : endpoints.listeners()) {
                HttpServerOptions options = new HttpServerOptions()
                        .setIdleTimeout(limits.idleTimeoutSeconds()).setIdleTimeoutUnit(TimeUnit.SECONDS)
                        .setMaxInitialLineLength(limits.maxInitialLine()).setMaxHeaderSize(limits.maxHeaders());
                HttpServer server = vertx.createHttpServer(listener.tls() ? endpoints.tls().applyTo(options) : options)
                        .requestHandler(router);
                servers.add(server.listen(listener.port(), listener.host())
                        .await(START_TIMEOUT_SECONDS, TimeUnit.SECONDS));
                LOG.info("{} listening on {}", name, listener.url(server.actualPort()));
            }
        } catch (Exception e) {
            close();
            throw new IllegalStateException(name + " could not listen: " + e.getMessage(), e);
        }
    }

    private static boolean carriesForm(HttpServerRequest request) {
        String type = request.getHeader("Content-Type");
        return type != null && (type.regionMatches(true, 0, "application/x-www-form-urlencoded", 0, 33)
                || type.regionMatches(true, 0, "multipart/", 0, 10));
    }

    /** The port the {@code index}th listener bound (the real one when it asked for port 0). */
    public int boundPort(int index) {
        return servers.get(index).actualPort();
    }

    @Override
    public void close() {
        try {
            vertx.close().await(START_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.warn("Closing {} failed", name, e);
        }
    }
}
