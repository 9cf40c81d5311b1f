package io.runnel.console.schemas;

import static io.runnel.console.html.Html.html;

import io.runnel.console.ConsoleClients;
import io.runnel.console.Forms;
import io.runnel.console.html.Html;
import io.runnel.console.html.Html.Safe;
import io.runnel.console.html.Pages;
import io.runnel.http.HttpException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;

/**
 * The schema registry's subjects, their versions and compatibility level, and a form registering a new version once
 * the registry has checked it against the subject's compatibility level.
 */
public final class SchemaPages {
    private static final List<String> TYPES = List.of("AVRO", "JSON", "PROTOBUF");

    private final RegistryClient registry;
    private final Pages pages;

    public SchemaPages(ConsoleClients clients, Pages pages) {
        this.registry = clients.registry();
        this.pages = pages;
    }

    public void install(Router router) {
        router.get("/schemas").blockingHandler(this::list, false);
        router.get("/schemas/:subject").blockingHandler(this::show, false);
        router.post("/schemas").blockingHandler(this::register, false);
    }

    private RegistryClient registry() {
        if (registry == null) {
            throw new HttpException(404, "No schema registry is configured (schema.registry.url)");
        }
        return registry;
    }

    private void list(RoutingContext ctx) {
        List<List<?>> rows = new ArrayList<>();
        registry().subjects().stream().map(String::valueOf).sorted()
                .forEach(s -> rows.add(List.of(Html.link("/schemas/" + Html.url(s), s))));
        pages.send(ctx, "Schemas", html("<p class=\"muted\">{}</p>{}{}", "Registry " + registry.url(),
                Html.table(List.of("Subject"), rows), registerForm("")));
    }

    private void show(RoutingContext ctx) {
        String subject = ctx.pathParam("subject");
        List<String> versions = registry().versions(subject).stream().map(String::valueOf).toList();
        String asked = Forms.optional(ctx, "version").trim();
        JsonObject version = registry.version(subject, asked.isEmpty() ? "latest" : asked);
        List<Safe> links = versions.stream().map(v -> v.equals(String.valueOf(version.getValue("version")))
                ? html("<strong>{}</strong> ", v)
                : html("{} ", Html.link("/schemas/" + Html.url(subject) + "?version=" + Html.url(v), v))).toList();
        String schema = version.getString("schema", "");
        String pretty;
        try {
            pretty = schema.trim().startsWith("{") ? new JsonObject(schema).encodePrettily() : schema;
        } catch (RuntimeException notJson) {
            pretty = schema;
        }
        pages.send(ctx, "Subject " + subject, html("<dl class=\"facts\"><dt>Compatibility</dt><dd>{}</dd>"
                        + "<dt>Versions</dt><dd>{}</dd><dt>Version shown</dt><dd>{}</dd><dt>Schema id</dt><dd>{}</dd>"
                        + "<dt>Type</dt><dd>{}</dd></dl><h2>Schema</h2><pre>{}</pre>{}",
                registry.compatibility(subject), Html.join(links), String.valueOf(version.getValue("version")),
                String.valueOf(version.getValue("id")), version.getString("schemaType", "AVRO"), pretty,
                registerForm(subject)));
    }

    private Safe registerForm(String subject) {
        return pages.form("/schemas", subject.isEmpty() ? "Register a schema" : "Register a new version",
                Html.join(List.of(subject.isEmpty() ? Html.input("subject", "Subject", "")
                                : Html.hidden("subject", subject),
                        Html.select("type", "Type", TYPES, "AVRO"),
                        html("<label for=\"f-schema\">Schema</label><textarea id=\"f-schema\" name=\"schema\">"
                                + "</textarea>"))), "Check and register");
    }

    private void register(RoutingContext ctx) {
        String subject = Forms.required(ctx, "subject");
        String schema = Forms.required(ctx, "schema");
        String type = Forms.optional(ctx, "type").isBlank() ? "AVRO" : Forms.optional(ctx, "type").trim();
        if (!TYPES.contains(type)) {
            throw new HttpException(400, "type: '" + type + "' must be one of " + TYPES);
        }
        String incompatible = registry().incompatibility(subject, schema, type);
        if (incompatible != null) {
            throw new HttpException(409, "The schema is not compatible with the latest version of " + subject
                    + " (" + registry.compatibility(subject) + "): " + incompatible);
        }
        int id = registry.register(subject, schema, type);
        Pages.redirect(ctx, "/schemas/" + Html.url(subject), "Registered schema id " + id);
    }
}
