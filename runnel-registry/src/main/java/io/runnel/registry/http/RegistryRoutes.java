package io.runnel.registry.http;

import io.runnel.registry.RegistryException;
import io.runnel.registry.SchemaRegistry;
import io.runnel.registry.compat.CompatibilityLevel;
import io.runnel.registry.schema.SchemaTypes;
import io.runnel.registry.storage.RegistryJson;
import io.runnel.registry.storage.SchemaRecord;
import io.runnel.registry.storage.SchemaReference;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.List;

/**
 * Confluent Schema Registry's REST API on a Vert.x router, one handler per endpoint. Reads answer at once from the
 * index; writes go to the leader and wait on its writer thread, answering asynchronously, never blocking the event
 * loop.
 */
final class RegistryRoutes {
    private final SchemaRegistry registry;
    private final LeaderForwarder leader;

    RegistryRoutes(SchemaRegistry registry, LeaderForwarder leader) {
        this.registry = registry;
        this.leader = leader;
    }

    void install(Router router) {
        router.get("/").handler(guard(ctx -> Replies.ok(ctx, new JsonObject())));
        router.get("/subjects").handler(guard(ctx -> Replies.ok(ctx, new JsonArray(
                registry.subjects(ctx.request().getParam("subjectPrefix"), flag(ctx, "deleted"))))));
        router.post("/subjects/:subject/versions").handler(write(this::register));
        router.get("/subjects/:subject/versions").handler(guard(ctx -> Replies.ok(ctx, new JsonArray(
                registry.versions(subject(ctx), flag(ctx, "deleted"))))));
        router.get("/subjects/:subject/versions/:version").handler(guard(ctx -> Replies.ok(ctx,
                versionJson(registry.version(subject(ctx), ctx.pathParam("version"), flag(ctx, "deleted"))))));
        router.get("/subjects/:subject/versions/:version/schema").handler(guard(ctx -> Replies.json(ctx, 200,
                registry.version(subject(ctx), ctx.pathParam("version"), flag(ctx, "deleted")).schema())));
        router.delete("/subjects/:subject/versions/:version").handler(write(ctx -> Replies.later(ctx,
                registry.deleteVersion(subject(ctx), ctx.pathParam("version"), flag(ctx, "permanent")), v -> v)));
        router.post("/subjects/:subject").handler(guard(this::lookup));
        router.delete("/subjects/:subject").handler(write(ctx -> Replies.later(ctx,
                registry.deleteSubject(subject(ctx), flag(ctx, "permanent")), JsonArray::new)));

        router.get("/schemas/types").handler(guard(ctx -> Replies.ok(ctx, new JsonArray(SchemaTypes.ALL))));
        router.get("/schemas/ids/:id").handler(guard(ctx -> Replies.ok(ctx, schemaJson(registry.schemaById(id(ctx)),
                new JsonObject()))));
        router.get("/schemas/ids/:id/schema").handler(guard(ctx -> Replies.json(ctx, 200,
                registry.schemaById(id(ctx)).schema())));
        router.get("/schemas/ids/:id/versions").handler(guard(ctx -> Replies.ok(ctx, new JsonArray(
                registry.idVersions(id(ctx), flag(ctx, "deleted")).stream().map(r -> new JsonObject()
                        .put("subject", r.subject()).put("version", r.version())).toList()))));
        router.get("/schemas/ids/:id/subjects").handler(guard(ctx -> Replies.ok(ctx, new JsonArray(
                registry.idVersions(id(ctx), flag(ctx, "deleted")).stream().map(SchemaRecord::subject)
                        .distinct().toList()))));

        router.post("/compatibility/subjects/:subject/versions/:version").handler(guard(this::compatibility));
        router.post("/compatibility/subjects/:subject/versions").handler(guard(this::compatibility));

        router.get("/config").handler(guard(ctx -> Replies.ok(ctx, level(registry.config(null, true)))));
        router.get("/config/:subject").handler(guard(ctx -> Replies.ok(ctx,
                level(registry.config(subject(ctx), flag(ctx, "defaultToGlobal"))))));
        router.put("/config").handler(write(ctx -> putConfig(ctx, null)));
        router.put("/config/:subject").handler(write(ctx -> putConfig(ctx, subject(ctx))));
        router.delete("/config").handler(write(ctx -> Replies.later(ctx, registry.deleteConfig(null),
                RegistryRoutes::level)));
        router.delete("/config/:subject").handler(write(ctx -> Replies.later(ctx,
                registry.deleteConfig(subject(ctx)), RegistryRoutes::level)));

        router.get("/mode").handler(guard(ctx -> Replies.ok(ctx, mode(registry.mode(null, true)))));
        router.get("/mode/:subject").handler(guard(ctx -> Replies.ok(ctx,
                mode(registry.mode(subject(ctx), flag(ctx, "defaultToGlobal"))))));
        router.put("/mode").handler(write(ctx -> putMode(ctx, null)));
        router.put("/mode/:subject").handler(write(ctx -> putMode(ctx, subject(ctx))));
    }

    private void register(RoutingContext ctx) {
        JsonObject body = Replies.body(ctx);
        Replies.later(ctx, registry.register(subject(ctx), body.getString("schema"), body.getString("schemaType"),
                references(body), body.getInteger("id"), body.getInteger("version")),
                id -> new JsonObject().put("id", id));
    }

    private void lookup(RoutingContext ctx) {
        JsonObject body = Replies.body(ctx);
        SchemaRecord found = registry.lookup(subject(ctx), body.getString("schema"), body.getString("schemaType"),
                references(body), flag(ctx, "deleted"));
        Replies.ok(ctx, versionJson(found));
    }

    private void compatibility(RoutingContext ctx) {
        JsonObject body = Replies.body(ctx);
        List<String> problems = registry.compatibility(subject(ctx), ctx.pathParam("version"),
                body.getString("schema"), body.getString("schemaType"), references(body));
        JsonObject answer = new JsonObject().put("is_compatible", problems.isEmpty());
        if (flag(ctx, "verbose")) {
            answer.put("messages", new JsonArray(problems));
        }
        Replies.ok(ctx, answer);
    }

    private void putConfig(RoutingContext ctx, String subject) {
        String level = Replies.body(ctx).getString("compatibility");
        Replies.later(ctx, registry.setConfig(subject, level),
                l -> new JsonObject().put("compatibility", l.name()));
    }

    private void putMode(RoutingContext ctx, String subject) {
        Replies.later(ctx, registry.setMode(subject, Replies.body(ctx).getString("mode")), RegistryRoutes::mode);
    }

    /** A write: run by the leader, wherever it arrives. */
    private Handler<RoutingContext> write(Handler<RoutingContext> handler) {
        return guard(ctx -> leader.route(ctx, guard(handler)));
    }

    /** Runs a handler, answering whatever it throws in Confluent's shape. */
    private static Handler<RoutingContext> guard(Handler<RoutingContext> handler) {
        return ctx -> {
            try {
                handler.handle(ctx);
            } catch (RuntimeException e) {
                Replies.ERRORS.fail(ctx, e);
            }
        };
    }

    /** A request's schema references (42201 when they are not Confluent's shape). */
    private static List<SchemaReference> references(JsonObject body) {
        Object references = body.getValue("references");
        if (references == null) {
            return List.of();
        }
        try {
            if (references instanceof JsonArray array) {
                return RegistryJson.references(array);
            }
        } catch (IllegalArgumentException bad) {
            throw RegistryException.invalidSchema("references: " + bad.getMessage());
        }
        throw new RegistryException(422, "Unprocessable entity: references must be an array");
    }

    private static JsonObject versionJson(SchemaRecord r) {
        return schemaJson(r, new JsonObject().put("subject", r.subject()).put("version", r.version())
                .put("id", r.id()));
    }

    /** schemaType (left out for AVRO), schema and references (left out when none), as Confluent answers them. */
    private static JsonObject schemaJson(SchemaRecord r, JsonObject json) {
        if (!SchemaRecord.AVRO.equals(r.schemaType())) {
            json.put("schemaType", r.schemaType());
        }
        json.put("schema", r.schema());
        if (!r.references().isEmpty()) {
            json.put("references", new JsonArray(r.references().stream().map(ref -> new JsonObject()
                    .put("name", ref.name()).put("subject", ref.subject()).put("version", ref.version())).toList()));
        }
        return json;
    }

    private static JsonObject level(CompatibilityLevel level) {
        return new JsonObject().put("compatibilityLevel", level.name());
    }

    private static JsonObject mode(String mode) {
        return new JsonObject().put("mode", mode);
    }

    private static String subject(RoutingContext ctx) {
        return ctx.pathParam("subject");
    }

    private static boolean flag(RoutingContext ctx, String name) {
        return Boolean.parseBoolean(ctx.request().getParam(name));
    }

    /** A schema id; anything that is not one names no schema (40403). */
    private static int id(RoutingContext ctx) {
        String id = ctx.pathParam("id");
        try {
            return Integer.parseInt(id);
        } catch (NumberFormatException e) {
            throw RegistryException.schemaNotFound("Schema " + id + " not found");
        }
    }
}
