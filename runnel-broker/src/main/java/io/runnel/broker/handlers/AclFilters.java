package io.runnel.broker.handlers;

import org.apache.kafka.common.acl.AccessControlEntryFilter;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePatternFilter;
import org.apache.kafka.common.resource.ResourceType;

/** The ACL filters of DescribeAcls and DeleteAcls, from the codes their requests carry. */
final class AclFilters {
    private AclFilters() {
    }

    static AclBindingFilter of(byte resourceType, String name, byte patternType, String principal, String host,
                               byte operation, byte permissionType) {
        return new AclBindingFilter(new ResourcePatternFilter(ResourceType.fromCode(resourceType), name,
                PatternType.fromCode(patternType)), new AccessControlEntryFilter(principal, host,
                AclOperation.fromCode(operation), AclPermissionType.fromCode(permissionType)));
    }

    /** Why Kafka refuses the filter (an element it does not know), or null if it is valid. */
    static String invalidReason(AclBindingFilter filter) {
        return filter.isUnknown() ? "The filter contains an unknown element: " + filter : null;
    }
}
