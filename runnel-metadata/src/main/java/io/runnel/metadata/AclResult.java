package io.runnel.metadata;

import java.util.List;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.protocol.Errors;

/**
 * The outcome of one ACL creation (no bindings) or of one deletion filter (the ACLs it deleted), with Kafka's error
 * code and message when it was refused.
 */
public record AclResult(Errors error, String message, List<AclBinding> deleted) {
    public static final AclResult CREATED = new AclResult(Errors.NONE, null, List.of());

    public static AclResult refused(Errors error, String message) {
        return new AclResult(error, message, List.of());
    }
}
