package io.runnel.metadata.controller;

import io.runnel.metadata.AclResult;
import io.runnel.metadata.MetadataImage;
import io.runnel.metadata.record.AccessControlEntryRecord;
import io.runnel.metadata.record.MetadataRecord;
import io.runnel.metadata.record.RemoveAccessControlEntryRecord;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourceType;

/**
 * CreateAcls and DeleteAcls as records, with Kafka's validation: a new ACL names a concrete resource type, a LITERAL
 * or PREFIXED pattern, a concrete operation, ALLOW or DENY, a {@code Type:name} principal and a host; anything else
 * (a filter such as ANY or MATCH among them) is INVALID_REQUEST. Creating an ACL that exists already succeeds and
 * writes nothing. Each new ACL gets an id of its own, which its removal names.
 */
final class AclChanges {
    /** The only name of the CLUSTER resource. */
    static final String CLUSTER_NAME = "kafka-cluster";

    private AclChanges() {
    }

    static Outcome<List<AclResult>> create(MetadataImage image, List<AclBinding> bindings) {
        Set<AclBinding> existing = new HashSet<>();
        Set<Uuid> ids = new HashSet<>(image.acls().keySet());
        image.acls().values().forEach(acl -> existing.add(acl.binding()));
        List<MetadataRecord> records = new ArrayList<>();
        List<AclResult> results = new ArrayList<>(bindings.size());
        for (AclBinding binding : bindings) {
            String invalid = invalidReason(binding);
            if (invalid != null) {
                results.add(AclResult.refused(Errors.INVALID_REQUEST, invalid));
                continue;
            }
            if (existing.add(binding)) {
                Uuid id = Uuid.randomUuid();
                while (!ids.add(id)) {
                    id = Uuid.randomUuid();
                }
                records.add(AccessControlEntryRecord.of(id, binding));
            }
            results.add(AclResult.CREATED);
        }
        return new Outcome<>(records, results);
    }

    static Outcome<List<AclResult>> delete(MetadataImage image, List<AclBindingFilter> filters) {
        List<MetadataRecord> records = new ArrayList<>();
        List<AclResult> results = new ArrayList<>(filters.size());
        Set<Uuid> removed = new HashSet<>();
        for (AclBindingFilter filter : filters) {
            if (filter.patternFilter().isUnknown()) {
                results.add(AclResult.refused(Errors.INVALID_REQUEST, "Unknown patternFilter."));
                continue;
            }
            if (filter.entryFilter().isUnknown()) {
                results.add(AclResult.refused(Errors.INVALID_REQUEST, "Unknown entryFilter."));
                continue;
            }
            List<AclBinding> deleted = new ArrayList<>();
            for (AccessControlEntryRecord acl : image.acls().values()) {
                AclBinding binding = acl.binding();
                if (filter.matches(binding)) {
                    deleted.add(binding);
                    if (removed.add(acl.id())) {
                        records.add(new RemoveAccessControlEntryRecord(acl.id()));
                    }
                }
            }
            results.add(new AclResult(Errors.NONE, null, deleted));
        }
        return new Outcome<>(records, results);
    }

    /** Why {@code binding} cannot be stored as an ACL, or null if it can. */
    private static String invalidReason(AclBinding binding) {
        ResourceType type = binding.pattern().resourceType();
        PatternType patternType = binding.pattern().patternType();
        String name = binding.pattern().name();
        AclOperation operation = binding.entry().operation();
        AclPermissionType permission = binding.entry().permissionType();
        String principal = binding.entry().principal();
        if (type == ResourceType.ANY || type == ResourceType.UNKNOWN) {
            return "Invalid resourceType " + type;
        }
        if (patternType != PatternType.LITERAL && patternType != PatternType.PREFIXED) {
            return "Invalid patternType " + patternType;
        }
        if (operation == AclOperation.ANY || operation == AclOperation.UNKNOWN) {
            return "Invalid operation " + operation;
        }
        if (permission != AclPermissionType.ALLOW && permission != AclPermissionType.DENY) {
            return "Invalid permissionType " + permission;
        }
        if (name == null || name.isEmpty()) {
            return "Resource name should not be empty";
        }
        if (type == ResourceType.CLUSTER && !name.equals(CLUSTER_NAME)) {
            return "The only valid name for the CLUSTER resource is " + CLUSTER_NAME;
        }
        if (binding.entry().host() == null) {
            return "Missing host";
        }
        if (principal == null) {
            return "Missing principal";
        }
        int colon = principal.indexOf(':');
        if (colon <= 0) {
            return "Could not parse principal from `" + principal + "` (no colon is present separating the "
                    + "principal type from the principal name)";
        }
        return null;
    }
}
