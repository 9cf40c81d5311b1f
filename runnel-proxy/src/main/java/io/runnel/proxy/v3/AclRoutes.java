package io.runnel.proxy.v3;

import static io.runnel.proxy.ClusterClients.future;
import static io.runnel.proxy.v3.Resources.list;
import static io.runnel.proxy.v3.Resources.url;

import io.runnel.http.HttpException;
import io.runnel.proxy.ClusterClients;
import io.runnel.proxy.RestErrors;
import io.runnel.proxy.http.Bodies;
import io.runnel.proxy.http.Replies;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AccessControlEntryFilter;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourcePatternFilter;
import org.apache.kafka.common.resource.ResourceType;

/**
 * API v3's ACLs: search ({@code GET .../acls} with query parameters, each absent one matching any), create one
 * ({@code POST .../acls}) or several ({@code POST .../acls:batch} with {@code {"data":[...]}}), delete the ones a
 * filter matches ({@code DELETE .../acls}, answered with them). Fields and values are Kafka's enum names, as
 * Confluent's proxy takes them: {@code resource_type} TOPIC, GROUP, CLUSTER, TRANSACTIONAL_ID...,
 * {@code pattern_type} LITERAL, PREFIXED (MATCH and ANY in filters), {@code principal} "User:alice", {@code host},
 * {@code operation} READ, WRITE, ALL..., {@code permission} ALLOW or DENY. A cluster without an authorizer refuses
 * them as Kafka does (SECURITY_DISABLED).
 */
public final class AclRoutes {
    private static final String ACLS = "/v3/clusters/:cluster/acls";
    /** Vert.x reads ":batch" in a path as a parameter: the batch is matched by a pattern instead. */
    private static final String BATCH = "/v3/clusters/(?<cluster>[^/]+)/acls:batch";
    private static final Set<String> JSON = Set.of("application/json");

    private final ClusterClients clients;
    private final Replies replies;

    public AclRoutes(ClusterClients clients, Replies replies) {
        this.clients = clients;
        this.replies = replies;
    }

    public void install(Router router) {
        router.postWithRegex(BATCH).handler(ctx -> {
            Bodies.requireMediaType(ctx, JSON);
            JsonArray data = Bodies.object(ctx).getJsonArray("data");
            if (data == null) {
                throw new HttpException(40002, "data is required");
            }
            List<AclBinding> bindings = new ArrayList<>();
            for (Object item : data) {
                if (!(item instanceof JsonObject acl)) {
                    throw new HttpException(40002, "each entry of data must be an ACL object");
                }
                bindings.add(binding(acl::getString));
            }
            create(ctx, bindings);
        });
        router.get(ACLS).handler(ctx -> {
            AclBindingFilter filter = filter(ctx);
            replies.later(ctx, Resources.clusterId(clients, ctx.pathParam("cluster")).thenCompose(id ->
                    future(clients.admin().describeAcls(filter).values(), RestErrors::kafkaV3)
                            .thenApply(acls -> list("KafkaAclList", url(ctx, "/" + id + "/acls"),
                                    json(ctx, id, acls)))), v -> v);
        });
        router.post(ACLS).handler(ctx -> {
            Bodies.requireMediaType(ctx, JSON);
            create(ctx, List.of(binding(Bodies.object(ctx)::getString)));
        });
        router.delete(ACLS).handler(ctx -> {
            AclBindingFilter filter = filter(ctx);
            replies.later(ctx, Resources.clusterId(clients, ctx.pathParam("cluster")).thenCompose(id ->
                    future(clients.admin().deleteAcls(List.of(filter)).all(), RestErrors::kafkaV3)
                            .thenApply(deleted -> new JsonObject().put("data", json(ctx, id, deleted)))), v -> v);
        });
    }

    private void create(RoutingContext ctx, List<AclBinding> bindings) {
        replies.laterEmpty(ctx, Resources.clusterId(clients, ctx.pathParam("cluster")).thenCompose(id ->
                future(clients.admin().createAcls(bindings).all(), RestErrors::kafkaV3)), 201);
    }

    /** An ACL to create: every field named, none of the filters' wildcards (ANY, MATCH, UNKNOWN). */
    private static AclBinding binding(Function<String, String> field) {
        String resourceName = required(field, "resource_name");
        String principal = required(field, "principal");
        AclBinding binding;
        try {
            binding = new AclBinding(
                    new ResourcePattern(value(field, "resource_type", ResourceType::fromString, ResourceType.UNKNOWN),
                            resourceName, value(field, "pattern_type", PatternType::fromString, PatternType.LITERAL)),
                    new AccessControlEntry(principal, field.apply("host") == null ? "*" : field.apply("host"),
                            value(field, "operation", AclOperation::fromString, AclOperation.UNKNOWN),
                            value(field, "permission", AclPermissionType::fromString, AclPermissionType.UNKNOWN)));
        } catch (IllegalArgumentException e) {
            // Kafka's ACL classes refuse the wildcards ANY and MATCH in an ACL, as opposed to a filter.
            throw new HttpException(40002, e.getMessage());
        }
        if (binding.isUnknown()) {
            throw new HttpException(40002, "an ACL needs resource_type, resource_name, pattern_type (LITERAL or "
                    + "PREFIXED), principal, host, operation and permission, with Kafka's names: " + binding);
        }
        return binding;
    }

    /** The query's filter: an absent parameter matches anything. */
    private static AclBindingFilter filter(RoutingContext ctx) {
        Function<String, String> param = name -> ctx.queryParams().get(name);
        AclBindingFilter filter = new AclBindingFilter(
                new ResourcePatternFilter(value(param, "resource_type", ResourceType::fromString, ResourceType.ANY),
                        param.apply("resource_name"),
                        value(param, "pattern_type", PatternType::fromString, PatternType.ANY)),
                new AccessControlEntryFilter(param.apply("principal"), param.apply("host"),
                        value(param, "operation", AclOperation::fromString, AclOperation.ANY),
                        value(param, "permission", AclPermissionType::fromString, AclPermissionType.ANY)));
        if (filter.isUnknown()) {
            throw new HttpException(40002, "unknown value in the ACL filter: " + filter);
        }
        return filter;
    }

    private static String required(Function<String, String> field, String name) {
        String value = field.apply(name);
        if (value == null || value.isEmpty()) {
            throw new HttpException(40002, name + " is required");
        }
        return value;
    }

    /** A field's enum value, {@code absent} when the field is not there; UNKNOWN for a name Kafka does not have. */
    private static <E> E value(Function<String, String> field, String name, Function<String, E> parse, E absent) {
        String value = field.apply(name);
        return value == null ? absent : parse.apply(value.toUpperCase(Locale.ROOT));
    }

    private static JsonArray json(RoutingContext ctx, String cluster, Collection<AclBinding> acls) {
        JsonArray data = new JsonArray();
        for (AclBinding acl : acls) {
            ResourcePattern pattern = acl.pattern();
            AccessControlEntry entry = acl.entry();
            String query = "?resource_type=" + pattern.resourceType() + "&resource_name=" + encode(pattern.name())
                    + "&pattern_type=" + pattern.patternType() + "&principal=" + encode(entry.principal())
                    + "&host=" + encode(entry.host()) + "&operation=" + entry.operation()
                    + "&permission=" + entry.permissionType();
            data.add(new JsonObject().put("kind", "KafkaAcl").put("metadata", new JsonObject()
                            .put("self", url(ctx, "/" + cluster + "/acls" + query)))
                    .put("cluster_id", cluster).put("resource_type", pattern.resourceType().name())
                    .put("resource_name", pattern.name()).put("pattern_type", pattern.patternType().name())
                    .put("principal", entry.principal()).put("host", entry.host())
                    .put("operation", entry.operation().name()).put("permission", entry.permissionType().name()));
        }
        return data;
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
