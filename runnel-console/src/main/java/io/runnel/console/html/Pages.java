package io.runnel.console.html;

import static io.runnel.console.html.Html.html;

import io.runnel.console.html.Html.Safe;
import io.vertx.ext.web.RoutingContext;

/**
 * The console's page layout (title, navigation, a notice, the body) and its forms, which a read-only console leaves
 * out: it shows the cluster and offers no change.
 */
public final class Pages {
    private static final Safe NAV = new Safe("<nav aria-label=\"Main\"><a class=\"brand\" href=\"/\">Runnel</a>"
            + "<a href=\"/\">Brokers</a><a href=\"/topics\">Topics</a><a href=\"/groups\">Consumer groups</a>"
            + "<a href=\"/schemas\">Schemas</a><a href=\"/acls\">ACLs</a></nav>");

    private final boolean canWrite;

    public Pages(boolean canWrite) {
        this.canWrite = canWrite;
    }

    public boolean canWrite() {
        return canWrite;
    }

    /** Answers 200 with a whole page; the request's {@code notice} parameter (set by a redirect) shown on top. */
    public void send(RoutingContext ctx, String title, Safe body) {
        send(ctx, 200, title, body, ctx.request().getParam("notice"));
    }

    public void send(RoutingContext ctx, int status, String title, Safe body, String notice) {
        if (ctx.response().ended() || ctx.response().closed()) {
            return;
        }
        Safe shown = notice == null || notice.isBlank() ? Html.EMPTY
                : html("<p class=\"notice\" role=\"status\">{}</p>", notice);
        Safe page = html("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
                + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
                + "<title>{} · Runnel console</title><link rel=\"stylesheet\" href=\"/static/console.css\"></head>"
                + "<body><header>{}{}</header><main><h1>{}</h1>{}{}</main></body></html>",
                title, NAV, canWrite ? Html.EMPTY : new Safe("<span class=\"readonly\">Read-only</span>"), title,
                shown, body);
        ctx.response().setStatusCode(status).putHeader("Content-Type", "text/html; charset=utf-8")
                .putHeader("Content-Security-Policy", "default-src 'self'; script-src 'self'; object-src 'none'; "
                        + "frame-ancestors 'none'; form-action 'self'")
                .putHeader("X-Content-Type-Options", "nosniff")
                .putHeader("Cache-Control", "no-store")
                .end(page.html());
    }

    /** After a change: back to {@code path} (a GET, so a reload does not repeat it) with {@code notice} shown. */
    public static void redirect(RoutingContext ctx, String path, String notice) {
        String separator = path.contains("?") ? "&" : "?";
        ctx.response().setStatusCode(303).putHeader("Location", path + separator + "notice=" + Html.url(notice)).end();
    }

    /** A form that changes the cluster: posted to {@code action}; nothing on a read-only console. */
    public Safe form(String action, String heading, Safe fields, String button) {
        if (!canWrite) {
            return Html.EMPTY;
        }
        return html("<form method=\"post\" action=\"{}\" class=\"change\"><fieldset><legend>{}</legend>{}"
                + "<button type=\"submit\">{}</button></fieldset></form>", action, heading, fields, button);
    }

    /** A single button posting hidden fields, e.g. a row's Delete; nothing on a read-only console. */
    public Safe button(String action, Safe hidden, String button) {
        if (!canWrite) {
            return Html.EMPTY;
        }
        return html("<form method=\"post\" action=\"{}\" class=\"inline\">{}<button type=\"submit\">{}</button>"
                + "</form>", action, hidden, button);
    }

    /** A link to a confirmation page, for destructive actions; nothing on a read-only console. */
    public Safe confirmLink(String href, String text) {
        return canWrite ? html("<a class=\"danger\" href=\"{}\">{}</a>", href, text) : Html.EMPTY;
    }
}
