package io.runnel.console.acls;

import static io.runnel.console.ConsoleClients.await;
import static io.runnel.console.html.Html.html;

import io.runnel.console.ConsoleClients;
import io.runnel.console.Forms;
import io.runnel.console.html.Html;
import io.runnel.console.html.Pages;
import io.runnel.http.HttpException;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.errors.SecurityDisabledException;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

/** The cluster's ACLs: the list, a form to add one, a button to remove each, as {@code kafka-acls.sh} does. */
public final class AclPages {
    private static final List<String> RESOURCE_TYPES = names(ResourceType.TOPIC, ResourceType.GROUP,
            ResourceType.CLUSTER, ResourceType.TRANSACTIONAL_ID, ResourceType.DELEGATION_TOKEN, ResourceType.USER);
    private static final List<String> PATTERN_TYPES = names(PatternType.LITERAL, PatternType.PREFIXED);
    private static final List<String> OPERATIONS = Arrays.stream(AclOperation.values())
            .filter(o -> o != AclOperation.ANY && o != AclOperation.UNKNOWN).map(Enum::name).toList();
    private static final List<String> PERMISSIONS = names(AclPermissionType.ALLOW, AclPermissionType.DENY);

    private final ConsoleClients clients;
    private final Pages pages;

    public AclPages(ConsoleClients clients, Pages pages) {
        this.clients = clients;
        this.pages = pages;
    }

    public void install(Router router) {
        router.get("/acls").blockingHandler(this::list, false);
        router.post("/acls").blockingHandler(this::add, false);
        router.post("/acls/delete").blockingHandler(this::remove, false);
    }

    private void list(RoutingContext ctx) {
        Collection<AclBinding> acls;
        try {
            acls = await(clients.admin().describeAcls(AclBindingFilter.ANY).values());
        } catch (SecurityDisabledException e) {
            pages.send(ctx, "ACLs", html("<p class=\"error\" role=\"alert\">{}</p>", "This cluster has no "
                    + "authorizer (authorizer.class.name is not set), so it keeps no ACLs: " + e.getMessage()));
            return;
        }
        List<List<?>> rows = new ArrayList<>();
        acls.stream().sorted(Comparator.comparing(AclBinding::toString)).forEach(b -> {
            ResourcePattern r = b.pattern();
            AccessControlEntry e = b.entry();
            rows.add(List.of(r.resourceType(), r.name(), r.patternType(), e.principal(), e.host(), e.operation(),
                    e.permissionType(), pages.button("/acls/delete", Html.join(List.of(
                            Html.hidden("resourceType", r.resourceType().name()), Html.hidden("name", r.name()),
                            Html.hidden("patternType", r.patternType().name()),
                            Html.hidden("principal", e.principal()), Html.hidden("host", e.host()),
                            Html.hidden("operation", e.operation().name()),
                            Html.hidden("permission", e.permissionType().name()))), "Remove")));
        });
        pages.send(ctx, "ACLs", html("{}{}", Html.table(List.of("Resource type", "Resource", "Pattern",
                "Principal", "Host", "Operation", "Permission", ""), rows),
                pages.form("/acls", "Add an ACL", Html.join(List.of(
                        Html.select("resourceType", "Resource type", RESOURCE_TYPES, "TOPIC"),
                        Html.input("name", "Resource name (kafka-cluster for the cluster, * for all)", ""),
                        Html.select("patternType", "Pattern type", PATTERN_TYPES, "LITERAL"),
                        Html.input("principal", "Principal", "User:"),
                        Html.input("host", "Host", "*"),
                        Html.select("operation", "Operation", OPERATIONS, "READ"),
                        Html.select("permission", "Permission", PERMISSIONS, "ALLOW"))), "Add")));
    }

    private static AclBinding binding(RoutingContext ctx) {
        String principal = Forms.required(ctx, "principal");
        if (!principal.contains(":")) {
            throw new HttpException(400, "principal: '" + principal + "' must be type:name, e.g. User:alice");
        }
        String host = Forms.optional(ctx, "host").isBlank() ? "*" : Forms.optional(ctx, "host").trim();
        return new AclBinding(new ResourcePattern(choice(ctx, "resourceType", ResourceType.class, RESOURCE_TYPES),
                Forms.required(ctx, "name"), choice(ctx, "patternType", PatternType.class, PATTERN_TYPES)),
                new AccessControlEntry(principal, host, choice(ctx, "operation", AclOperation.class, OPERATIONS),
                        choice(ctx, "permission", AclPermissionType.class, PERMISSIONS)));
    }

    private void add(RoutingContext ctx) {
        AclBinding acl = binding(ctx);
        await(clients.admin().createAcls(List.of(acl)).all());
        Pages.redirect(ctx, "/acls", "Added " + acl);
    }

    private void remove(RoutingContext ctx) {
        AclBinding acl = binding(ctx);
        await(clients.admin().deleteAcls(List.of(acl.toFilter())).all());
        Pages.redirect(ctx, "/acls", "Removed " + acl);
    }

    private static <E extends Enum<E>> E choice(RoutingContext ctx, String field, Class<E> type, List<String> valid) {
        String value = Forms.required(ctx, field).toUpperCase(Locale.ROOT);
        if (!valid.contains(value)) {
            throw new HttpException(400, field + ": '" + value + "' must be one of " + valid);
        }
        return Enum.valueOf(type, value);
    }

    private static List<String> names(Enum<?>... values) {
        return Arrays.stream(values).map(Enum::name).toList();
    }
}
