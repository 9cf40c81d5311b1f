package io.runnel.broker.security;

import io.runnel.metadata.MetadataImage;
import io.runnel.metadata.MetadataListener;
import io.runnel.metadata.record.AccessControlEntryRecord;
import java.util.List;
import java.util.Set;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

/**
 * The decisions of Kafka's StandardAuthorizer over the ACLs of this broker's metadata image. A super user may do
 * everything. Otherwise the ACLs that cover the resource (its literal name, the {@code *} wildcard, its prefixes)
 * and name the principal (or {@code User:*}) and the client's host (or {@code *}) decide: one DENY of the operation
 * (or of ALL) refuses, whatever allows; else one ALLOW of the operation, of ALL, or of an operation that implies it
 * (READ, WRITE, DELETE and ALTER imply DESCRIBE; ALTER_CONFIGS implies DESCRIBE_CONFIGS) permits. A resource no ACL
 * covers at all is open only with {@code allow.everyone.if.no.acl.found}. The index is rebuilt when an image changes
 * the ACLs, so a decision always reflects the image as applied.
 */
public final class AclAuthorizer implements MetadataListener {
    /** Kafka's wildcard principal: an ACL for it applies to every principal. */
    static final String WILDCARD_PRINCIPAL = "User:*";
    /** Kafka's wildcard host. */
    static final String WILDCARD_HOST = "*";

    private final Set<String> superUsers;
    private final boolean allowEveryoneIfNoAclFound;
    private volatile AclIndex index = AclIndex.EMPTY;

    public AclAuthorizer(Set<String> superUsers, boolean allowEveryoneIfNoAclFound) {
        this.superUsers = Set.copyOf(superUsers);
        this.allowEveryoneIfNoAclFound = allowEveryoneIfNoAclFound;
    }

    @Override
    public void onMetadataUpdate(MetadataImage previous, MetadataImage current) {
        if (previous.acls() != current.acls()) {
            index = new AclIndex(current.acls().values());
        }
    }

    /** Whether {@code principal} ({@code User:alice}) from address {@code host} may perform the operation. */
    public boolean authorize(String principal, String host, AclOperation operation, ResourceType type, String name) {
        if (superUsers.contains(principal)) {
            return true;
        }
        List<List<AccessControlEntryRecord>> covering = index.matching(type, name);
        boolean allowed = false;
        for (List<AccessControlEntryRecord> acls : covering) {
            for (AccessControlEntryRecord acl : acls) {
                if (!appliesTo(acl, principal, host)) {
                    continue;
                }
                if (acl.permissionType() == AclPermissionType.DENY) {
                    if (acl.operation() == operation || acl.operation() == AclOperation.ALL) {
                        return false;
                    }
                } else if (allows(acl.operation(), operation)) {
                    allowed = true;
                }
            }
        }
        return allowed || covering.isEmpty() && allowEveryoneIfNoAclFound;
    }

    /**
     * Kafka's authorizeByResourceType (KIP-679): whether the principal may perform the operation on at least one
     * resource of the type, i.e. some ALLOW names it that no DENY of the same principal covers entirely.
     */
    public boolean authorizeAny(String principal, String host, AclOperation operation, ResourceType type) {
        if (superUsers.contains(principal)) {
            return true;
        }
        List<AccessControlEntryRecord> acls = index.ofType(type);
        if (acls.isEmpty()) {
            return allowEveryoneIfNoAclFound;
        }
        for (AccessControlEntryRecord allow : acls) {
            if (allow.permissionType() == AclPermissionType.ALLOW && appliesTo(allow, principal, host)
                    && allows(allow.operation(), operation) && !deniedEntirely(allow, acls, principal, host, operation)) {
                return true;
            }
        }
        return false;
    }

    /** Whether a DENY of the principal covers every resource {@code allow} covers. */
    private static boolean deniedEntirely(AccessControlEntryRecord allow, List<AccessControlEntryRecord> acls,
                                          String principal, String host, AclOperation operation) {
        for (AccessControlEntryRecord deny : acls) {
            if (deny.permissionType() != AclPermissionType.DENY || !appliesTo(deny, principal, host)
                    || deny.operation() != operation && deny.operation() != AclOperation.ALL) {
                continue;
            }
            boolean covers = deny.patternType() == PatternType.LITERAL
                    ? deny.resourceName().equals(ResourcePattern.WILDCARD_RESOURCE)
                            || allow.patternType() == PatternType.LITERAL && deny.resourceName().equals(allow.resourceName())
                    : allow.resourceName().startsWith(deny.resourceName());
            if (covers) {
                return true;
            }
        }
        return false;
    }

    private static boolean appliesTo(AccessControlEntryRecord acl, String principal, String host) {
        return (acl.principal().equals(principal) || acl.principal().equals(WILDCARD_PRINCIPAL))
                && (acl.host().equals(WILDCARD_HOST) || acl.host().equals(host));
    }

    /** Whether an ALLOW of {@code granted} permits {@code wanted}. */
    private static boolean allows(AclOperation granted, AclOperation wanted) {
        if (granted == wanted || granted == AclOperation.ALL) {
            return true;
        }
        return switch (wanted) {
            case DESCRIBE -> granted == AclOperation.READ || granted == AclOperation.WRITE
                    || granted == AclOperation.DELETE || granted == AclOperation.ALTER;
            case DESCRIBE_CONFIGS -> granted == AclOperation.ALTER_CONFIGS;
            default -> false;
        };
    }
}
