package io.runnel.console;

import io.runnel.console.acls.AclPages;
import io.runnel.console.groups.GroupPages;
import io.runnel.console.html.Pages;
import io.runnel.console.messages.MessagePages;
import io.runnel.console.schemas.SchemaPages;
import io.runnel.console.topics.TopicPages;
import io.runnel.http.HttpErrors;
import io.runnel.http.HttpService;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * A running console: server-rendered pages over one Admin, one producer and short-lived consumers. What
 * {@code runnel server} starts beside a broker and {@code runnel console} runs alone.
 */
public final class ConsoleServer implements AutoCloseable {
    /** A produce form's record or a schema: well below the broker's default record batch limit. */
    private static final long MAX_BODY_BYTES = 1024 * 1024;
    /**
     * Pages wait for the cluster on workers: a few pages at once, the event loop never blocked. Bodies are read by
     * the POST routes alone, after the login: a GET carrying a form's content type (HTTP/2 redirects keep it) is
     * no body to decode.
     */
    private static final HttpService.Limits LIMITS = new HttpService.Limits(4, 60, 8192, 8192, 0);

    private final ConsoleClients clients;
    private final HttpService http;

    private ConsoleServer(ConsoleClients clients, HttpService http) {
        this.clients = clients;
        this.http = http;
    }

    public static ConsoleServer start(ConsoleConfig config) {
        ConsoleClients clients = new ConsoleClients(config);
        try {
            Pages pages = new Pages(config.canWrite());
            ConsoleErrors errors = new ConsoleErrors(pages);
            byte[] css = resource("console.css");
            byte[] tailJs = resource("tail.js");
            HttpService http = new HttpService("The console (console.listeners)", config.http(), LIMITS,
                    new HttpErrors("console", "application/json", 500), router -> {
                        router.route().failureHandler(errors::failed);
                        router.route().handler(new ConsoleGuard(config.basicAuth(), pages));
                        router.post().handler(BodyHandler.create(false).setBodyLimit(MAX_BODY_BYTES));
                        router.get("/static/console.css").handler(ctx -> asset(ctx, "text/css", css));
                        router.get("/static/tail.js").handler(ctx -> asset(ctx, "text/javascript", tailJs));
                        new OverviewPage(clients, pages).install(router);
                        new TopicPages(clients, pages).install(router);
                        new MessagePages(clients, pages).install(router);
                        new GroupPages(clients, pages).install(router);
                        new SchemaPages(clients, pages).install(router);
                        new AclPages(clients, pages).install(router);
                        router.route().handler(ctx -> ctx.fail(404));
                    });
            return new ConsoleServer(clients, http);
        } catch (RuntimeException | Error e) {
            clients.close();
            throw e;
        }
    }

    private static void asset(RoutingContext ctx, String type, byte[] content) {
        ctx.response().putHeader("Content-Type", type + "; charset=utf-8").putHeader("Cache-Control", "max-age=3600")
                .putHeader("X-Content-Type-Options", "nosniff").end(Buffer.buffer(content));
    }

    private static byte[] resource(String name) {
        try (InputStream in = ConsoleServer.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The port the {@code index}th listener bound. */
    public int boundPort(int index) {
        return http.boundPort(index);
    }

    @Override
    public void close() {
        http.close();
        clients.close();
    }
}
