package io.runnel.broker.security;

import io.runnel.metadata.record.AccessControlEntryRecord;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

/**
 * The ACLs arranged for lookup by resource: per resource type, LITERAL ACLs by name (the wildcard {@code *} among
 * them) and PREFIXED ACLs in a sorted map, where the prefixes of a name are found by a few floor lookups rather than
 * a scan. Immutable; built once per metadata image that changes the ACLs.
 */
final class AclIndex {
    static final AclIndex EMPTY = new AclIndex(List.of());

    private final Map<ResourceType, Acls> byType = new EnumMap<>(ResourceType.class);

    private static final class Acls {
        final Map<String, List<AccessControlEntryRecord>> literal = new HashMap<>();
        final TreeMap<String, List<AccessControlEntryRecord>> prefixed = new TreeMap<>();
        final List<AccessControlEntryRecord> all = new ArrayList<>();
    }

    AclIndex(Collection<AccessControlEntryRecord> acls) {
        for (AccessControlEntryRecord acl : acls) {
            Acls ofType = byType.computeIfAbsent(acl.resourceType(), t -> new Acls());
            ofType.all.add(acl);
            Map<String, List<AccessControlEntryRecord>> byName =
                    acl.patternType() == PatternType.PREFIXED ? ofType.prefixed : ofType.literal;
            byName.computeIfAbsent(acl.resourceName(), n -> new ArrayList<>()).add(acl);
        }
    }

    /**
     * The groups of ACLs whose pattern covers resource {@code name} of {@code type}: those on the name itself, on the
     * wildcard, and on every prefix of the name. Empty when the resource has no ACL at all.
     */
    List<List<AccessControlEntryRecord>> matching(ResourceType type, String name) {
        Acls acls = byType.get(type);
        if (acls == null) {
            return List.of();
        }
        List<List<AccessControlEntryRecord>> matching = new ArrayList<>(4);
        addIfPresent(matching, acls.literal.get(name));
        if (!name.equals(ResourcePattern.WILDCARD_RESOURCE)) {
            addIfPresent(matching, acls.literal.get(ResourcePattern.WILDCARD_RESOURCE));
        }
        // Every prefix of name sorts at or before it: the greatest key not after the search key is either a prefix
        // (taken, then the search goes on below it) or shares a common start with name, below which the next
        // prefix must be.
        String key = name;
        Map.Entry<String, List<AccessControlEntryRecord>> entry;
        while (!key.isEmpty() && (entry = acls.prefixed.floorEntry(key)) != null) {
            String candidate = entry.getKey();
            int common = commonPrefixLength(candidate, name);
            if (common == candidate.length()) {
                matching.add(entry.getValue());
                key = candidate.substring(0, candidate.length() - 1);
            } else {
                key = name.substring(0, common);
            }
        }
        return matching;
    }

    /** Every ACL on a resource of {@code type}, whatever its name and pattern. */
    List<AccessControlEntryRecord> ofType(ResourceType type) {
        Acls acls = byType.get(type);
        return acls == null ? List.of() : acls.all;
    }

    private static void addIfPresent(List<List<AccessControlEntryRecord>> matching,
                                     List<AccessControlEntryRecord> acls) {
        if (acls != null) {
            matching.add(acls);
        }
    }

    private static int commonPrefixLength(String a, String b) {
        int max = Math.min(a.length(), b.length());
        int i = 0;
        while (i < max && a.charAt(i) == b.charAt(i)) {
            i++;
        }
        return i;
    }
}
