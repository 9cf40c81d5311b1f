package io.runnel.broker.handlers;

import org.apache.kafka.common.acl.AclOperation;

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

/**
 * The authorized-operations bit fields of Metadata, DescribeCluster, DescribeTopicPartitions, DescribeGroups and
 * ConsumerGroupDescribe. Without an authorizer Kafka grants every operation the resource type supports, and answers
 * {@link #OMITTED} where the client did not ask.
 */
final class AuthorizedOperations {
    /** Kafka's value for "authorized operations not requested". */
    static final int OMITTED = Integer.MIN_VALUE;
    static final int TOPIC = bits(READ, WRITE, CREATE, DESCRIBE, DELETE, ALTER, DESCRIBE_CONFIGS, ALTER_CONFIGS);
    static final int GROUP = bits(READ, DESCRIBE, DELETE, DESCRIBE_CONFIGS, ALTER_CONFIGS);
    static final int CLUSTER = bits(CREATE, CLUSTER_ACTION, DESCRIBE_CONFIGS, ALTER_CONFIGS, IDEMPOTENT_WRITE, ALTER,
            DESCRIBE);

    private AuthorizedOperations() {
    }

    /** {@code operations} when the client asked for them, {@link #OMITTED} otherwise. */
    static int ifRequested(boolean requested, int operations) {
        return requested ? operations : OMITTED;
    }

    private static int bits(AclOperation... operations) {
        int bits = 0;
        for (AclOperation operation : operations) {
            bits |= 1 << operation.code();
        }
        return bits;
    }
}
