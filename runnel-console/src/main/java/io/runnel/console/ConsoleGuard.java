package io.runnel.console;

import io.runnel.console.html.Html;
import io.runnel.console.html.Pages;
import io.runnel.http.BasicAuth;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.net.HostAndPort;
import io.vertx.ext.web.RoutingContext;
import java.net.URI;

/**
 * What every request passes first: HTTP basic login when users are configured (401 otherwise), and for a change (any
 * method but GET and HEAD) a read-only console's 403 and a same-origin check, so another site's page cannot post
 * forms with the browser's saved login.
 */
final class ConsoleGuard implements Handler<RoutingContext> {
    /** Null: no login. */
    private final BasicAuth auth;
    private final Pages pages;

    ConsoleGuard(BasicAuth auth, Pages pages) {
        this.auth = auth;
        this.pages = pages;
    }

    @Override
    public void handle(RoutingContext ctx) {
        if (auth != null && auth.check(ctx.request().getHeader("Authorization")) != BasicAuth.Outcome.ALLOWED) {
            ctx.response().putHeader("WWW-Authenticate", auth.challenge());
            pages.send(ctx, 401, "Login required", Html.html("<p class=\"error\">{}</p>",
                    "This console asks for a user name and password (console.basic.auth.passwords)."), null);
            return;
        }
        HttpMethod method = ctx.request().method();
        if (method != HttpMethod.GET && method != HttpMethod.HEAD) {
            if (!pages.canWrite()) {
                pages.send(ctx, 403, "Read-only console", Html.html("<p class=\"error\">{}</p>",
                        "This console is read-only (console.read.only=true): it changes nothing."), null);
                return;
            }
            if (!sameOrigin(ctx.request().getHeader("Origin"), ctx.request().authority(), ctx.request().isSSL())) {
                pages.send(ctx, 403, "Refused", Html.html("<p class=\"error\">{}</p>",
                        "A change must be posted from the console's own pages."), null);
                return;
            }
        }
        ctx.next();
    }

    /**
     * Browsers send Origin with every POST; clients without it (curl, scripts) are not a cross-site page. The
     * request's authority is its Host header, or HTTP/2's :authority, without a port for its scheme's default one.
     */
    private static boolean sameOrigin(String origin, HostAndPort authority, boolean https) {
        if (origin == null) {
            return true;
        }
        try {
            URI uri = URI.create(origin);
            int port = uri.getPort() >= 0 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
            int asked = authority == null ? -1 : authority.port() >= 0 ? authority.port() : https ? 443 : 80;
            return authority != null && uri.getHost() != null && uri.getHost().equalsIgnoreCase(authority.host())
                    && port == asked;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
