package io.runnel.console;

import io.runnel.console.html.Html;
import io.runnel.console.html.Pages;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.net.HostAndPort;
import io.vertx.ext.web.RoutingContext;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Map;

/**
 * What every request passes first: HTTP basic login when users are configured (401 otherwise), and for a change (any
 * method but GET and HEAD) a read-only console's 403 and a same-origin check, so another site's page cannot post
 * forms with the browser's saved login.
 */
final class ConsoleGuard implements Handler<RoutingContext> {
    private final Map<String, String> passwords;
    private final Pages pages;

    ConsoleGuard(Map<String, String> passwords, Pages pages) {
        this.passwords = passwords;
        this.pages = pages;
    }

    @Override
    public void handle(RoutingContext ctx) {
        if (!passwords.isEmpty() && !authenticated(ctx.request().getHeader("Authorization"))) {
            ctx.response().putHeader("WWW-Authenticate", "Basic realm=\"Runnel console\", charset=\"UTF-8\"");
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
            if (!sameOrigin(ctx.request().getHeader("Origin"), ctx.request().authority())) {
                pages.send(ctx, 403, "Refused", Html.html("<p class=\"error\">{}</p>",
                        "A change must be posted from the console's own pages."), null);
                return;
            }
        }
        ctx.next();
    }

    private boolean authenticated(String header) {
        if (header == null || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
            return false;
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return false;
        }
        int colon = decoded.indexOf(':');
        String expected = colon < 0 ? null : passwords.get(decoded.substring(0, colon));
        // Compared in constant time: the answer's timing tells nothing of the password.
        return expected != null && MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8),
                decoded.substring(colon + 1).getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Browsers send Origin with every POST; clients without it (curl, scripts) are not a cross-site page. The
     * request's authority is its Host header, or HTTP/2's :authority.
     */
    private static boolean sameOrigin(String origin, HostAndPort authority) {
        if (origin == null) {
            return true;
        }
        try {
            URI uri = URI.create(origin);
            int port = uri.getPort() >= 0 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
            int asked = authority == null ? -1 : authority.port() >= 0 ? authority.port() : 80;
            return authority != null && uri.getHost() != null && uri.getHost().equalsIgnoreCase(authority.host())
                    && port == asked;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
