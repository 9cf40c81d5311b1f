package io.runnel.metadata.record;

import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

/**
 * One ACL, as Kafka's AccessControlEntryRecord holds it: its id (what deletes it), the resource pattern it applies
 * to, and who ({@code User:alice}), from where ({@code *} or an address), what operation and whether it is allowed
 * or denied.
 */
public record AccessControlEntryRecord(Uuid id, ResourceType resourceType, String resourceName,
                                       PatternType patternType, String principal, String host,
                                       AclOperation operation, AclPermissionType permissionType)
        implements MetadataRecord {

    public static AccessControlEntryRecord of(Uuid id, AclBinding binding) {
        ResourcePattern pattern = binding.pattern();
        AccessControlEntry entry = binding.entry();
        return new AccessControlEntryRecord(id, pattern.resourceType(), pattern.name(), pattern.patternType(),
                entry.principal(), entry.host(), entry.operation(), entry.permissionType());
    }

    public AclBinding binding() {
        return new AclBinding(new ResourcePattern(resourceType, resourceName, patternType),
                new AccessControlEntry(principal, host, operation, permissionType));
    }
}
