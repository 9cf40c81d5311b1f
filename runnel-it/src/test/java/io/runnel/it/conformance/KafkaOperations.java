package io.runnel.it.conformance;

import static org.apache.kafka.common.acl.AclOperation.ALTER;
import static org.apache.kafka.common.acl.AclOperation.ALTER_CONFIGS;
import static org.apache.kafka.common.acl.AclOperation.CLUSTER_ACTION;
import static org.apache.kafka.common.acl.AclOperation.CREATE;
import static org.apache.kafka.common.acl.AclOperation.DELETE;
import static org.apache.kafka.common.acl.AclOperation.DESCRIBE;
import static org.apache.kafka.common.acl.AclOperation.DESCRIBE_CONFIGS;
import static org.apache.kafka.common.acl.AclOperation.IDEMPOTENT_WRITE;
import static org.apache.kafka.common.acl.AclOperation.READ;
import static org.apache.kafka.common.acl.AclOperation.WRITE;

import java.util.Set;
import org.apache.kafka.common.acl.AclOperation;

/** What a Kafka broker without an authorizer reports as authorized: every operation of the resource type. */
final class KafkaOperations {
    static final Set<AclOperation> TOPIC = Set.of(READ, WRITE, CREATE, DESCRIBE, DELETE, ALTER, DESCRIBE_CONFIGS,
            ALTER_CONFIGS);
    static final Set<AclOperation> GROUP = Set.of(READ, DESCRIBE, DELETE, DESCRIBE_CONFIGS, ALTER_CONFIGS);
    static final Set<AclOperation> CLUSTER = Set.of(CREATE, CLUSTER_ACTION, DESCRIBE_CONFIGS, ALTER_CONFIGS,
            IDEMPOTENT_WRITE, ALTER, DESCRIBE);
    /** The wire value of "not requested". */
    static final int OMITTED = Integer.MIN_VALUE;

    private KafkaOperations() {
    }

    /** The protocol's bit field: bit n set for the operation of code n. */
    static int bits(Set<AclOperation> operations) {
        int bits = 0;
        for (AclOperation operation : operations) {
            bits |= 1 << operation.code();
        }
        return bits;
    }
}
