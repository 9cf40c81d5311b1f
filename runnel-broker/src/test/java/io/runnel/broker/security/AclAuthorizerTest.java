package io.runnel.broker.security;

import static org.apache.kafka.common.acl.AclOperation.ALL;
import static org.apache.kafka.common.acl.AclOperation.ALTER;
import static org.apache.kafka.common.acl.AclOperation.ALTER_CONFIGS;
import static org.apache.kafka.common.acl.AclOperation.CREATE;
import static org.apache.kafka.common.acl.AclOperation.DELETE;
import static org.apache.kafka.common.acl.AclOperation.DESCRIBE;
import static org.apache.kafka.common.acl.AclOperation.DESCRIBE_CONFIGS;
import static org.apache.kafka.common.acl.AclOperation.READ;
import static org.apache.kafka.common.acl.AclOperation.WRITE;
import static org.apache.kafka.common.acl.AclPermissionType.ALLOW;
import static org.apache.kafka.common.acl.AclPermissionType.DENY;
import static org.apache.kafka.common.resource.PatternType.LITERAL;
import static org.apache.kafka.common.resource.PatternType.PREFIXED;
import static org.apache.kafka.common.resource.ResourceType.GROUP;
import static org.apache.kafka.common.resource.ResourceType.TOPIC;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.runnel.metadata.MetadataDelta;
import io.runnel.metadata.MetadataImage;
import io.runnel.metadata.record.AccessControlEntryRecord;
import io.runnel.metadata.record.MetadataRecord;
import io.runnel.metadata.record.RemoveAccessControlEntryRecord;
import java.util.List;
import java.util.Set;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.Test;

/** The StandardAuthorizer rules, decided over ACLs replayed into metadata images. */
class AclAuthorizerTest {
    private static final String ALICE = "User:alice";
    private static final String BOB = "User:bob";
    private static final String HOST = "10.0.0.1";

    private MetadataImage image = MetadataImage.empty("c");

    private static AccessControlEntryRecord acl(ResourceType type, String name, PatternType pattern, String principal,
                                                String host, AclOperation operation, AclPermissionType permission) {
        return new AccessControlEntryRecord(Uuid.randomUuid(), type, name, pattern, principal, host, operation,
                permission);
    }

    private static AccessControlEntryRecord topicAcl(String name, PatternType pattern, String principal,
                                                     AclOperation operation, AclPermissionType permission) {
        return acl(TOPIC, name, pattern, principal, "*", operation, permission);
    }

    private AclAuthorizer authorizer(Set<String> superUsers, boolean allowEveryone, MetadataRecord... records) {
        AclAuthorizer authorizer = new AclAuthorizer(superUsers, allowEveryone);
        apply(authorizer, records);
        return authorizer;
    }

    private void apply(AclAuthorizer authorizer, MetadataRecord... records) {
        MetadataDelta delta = new MetadataDelta(image);
        List.of(records).forEach(delta::replay);
        MetadataImage next = delta.apply(image.lastAppliedOffset() + 1);
        authorizer.onMetadataUpdate(image, next);
        image = next;
    }

    @Test
    void literalAclsNameOneResourceAndOnePrincipal() {
        AclAuthorizer authorizer = authorizer(Set.of(), false, topicAcl("orders", LITERAL, ALICE, WRITE, ALLOW));
        assertTrue(authorizer.authorize(ALICE, HOST, WRITE, TOPIC, "orders"));
        assertFalse(authorizer.authorize(ALICE, HOST, READ, TOPIC, "orders"), "another operation");
        assertFalse(authorizer.authorize(BOB, HOST, WRITE, TOPIC, "orders"), "another principal");
        assertFalse(authorizer.authorize(ALICE, HOST, WRITE, TOPIC, "orders2"), "a literal name is not a prefix");
        assertFalse(authorizer.authorize(ALICE, HOST, WRITE, GROUP, "orders"), "another resource type");
    }

    @Test
    void prefixedAclsCoverEveryNameStartingWithThePrefix() {
        AclAuthorizer authorizer = authorizer(Set.of(), false,
                topicAcl("app-", PREFIXED, ALICE, READ, ALLOW),
                topicAcl("app-orders-", PREFIXED, BOB, READ, ALLOW),
                topicAcl("apz", PREFIXED, BOB, WRITE, ALLOW),
                topicAcl("app-orders-x", LITERAL, BOB, WRITE, ALLOW));
        assertTrue(authorizer.authorize(ALICE, HOST, READ, TOPIC, "app-orders"));
        assertTrue(authorizer.authorize(ALICE, HOST, READ, TOPIC, "app-"));
        assertFalse(authorizer.authorize(ALICE, HOST, READ, TOPIC, "app"));
        assertFalse(authorizer.authorize(ALICE, HOST, READ, TOPIC, "other-app-orders"));
        assertTrue(authorizer.authorize(BOB, HOST, READ, TOPIC, "app-orders-eu"), "a longer prefix found past a shorter one");
        assertFalse(authorizer.authorize(BOB, HOST, READ, TOPIC, "app-orders"));
        assertTrue(authorizer.authorize(BOB, HOST, WRITE, TOPIC, "apz1"));
        assertFalse(authorizer.authorize(BOB, HOST, WRITE, TOPIC, "app-orders-y"),
                "prefixes sorting between the name and its real prefixes are passed over");
    }

    @Test
    void wildcardNamesPrincipalsAndHosts() {
        AclAuthorizer authorizer = authorizer(Set.of(), false,
                topicAcl("*", LITERAL, ALICE, READ, ALLOW),
                acl(GROUP, "g", LITERAL, "User:*", "*", READ, ALLOW),
                acl(TOPIC, "local", LITERAL, BOB, HOST, WRITE, ALLOW));
        assertTrue(authorizer.authorize(ALICE, HOST, READ, TOPIC, "anything"));
        assertTrue(authorizer.authorize("User:carol", HOST, READ, GROUP, "g"));
        assertTrue(authorizer.authorize(BOB, HOST, WRITE, TOPIC, "local"));
        assertFalse(authorizer.authorize(BOB, "10.0.0.2", WRITE, TOPIC, "local"), "another host");
    }

    @Test
    void denyWinsOverAllow() {
        AclAuthorizer authorizer = authorizer(Set.of(), false,
                topicAcl("app-", PREFIXED, ALICE, ALL, ALLOW),
                topicAcl("app-secret", LITERAL, ALICE, READ, DENY),
                topicAcl("*", LITERAL, "User:*", DELETE, DENY));
        assertTrue(authorizer.authorize(ALICE, HOST, READ, TOPIC, "app-orders"));
        assertFalse(authorizer.authorize(ALICE, HOST, READ, TOPIC, "app-secret"));
        assertTrue(authorizer.authorize(ALICE, HOST, DESCRIBE, TOPIC, "app-secret"),
                "a DENY of READ does not deny the DESCRIBE that READ implies");
        assertFalse(authorizer.authorize(ALICE, HOST, DELETE, TOPIC, "app-orders"), "a wildcard DENY");
    }

    @Test
    void operationsImplyDescribeAndAlterConfigsImpliesDescribeConfigs() {
        AclAuthorizer authorizer = authorizer(Set.of(), false,
                topicAcl("r", LITERAL, ALICE, READ, ALLOW), topicAcl("w", LITERAL, ALICE, WRITE, ALLOW),
                topicAcl("d", LITERAL, ALICE, DELETE, ALLOW), topicAcl("a", LITERAL, ALICE, ALTER, ALLOW),
                topicAcl("c", LITERAL, ALICE, ALTER_CONFIGS, ALLOW), topicAcl("n", LITERAL, ALICE, CREATE, ALLOW));
        for (String topic : List.of("r", "w", "d", "a")) {
            assertTrue(authorizer.authorize(ALICE, HOST, DESCRIBE, TOPIC, topic), topic);
        }
        assertFalse(authorizer.authorize(ALICE, HOST, DESCRIBE, TOPIC, "n"), "CREATE does not imply DESCRIBE");
        assertTrue(authorizer.authorize(ALICE, HOST, DESCRIBE_CONFIGS, TOPIC, "c"));
        assertFalse(authorizer.authorize(ALICE, HOST, READ, TOPIC, "w"), "WRITE does not imply READ");
    }

    @Test
    void superUsersMayDoEverythingEvenWhenDenied() {
        AclAuthorizer authorizer = authorizer(Set.of("User:admin"), false,
                topicAcl("t", LITERAL, "User:admin", ALL, DENY));
        assertTrue(authorizer.authorize("User:admin", HOST, WRITE, TOPIC, "t"));
        assertTrue(authorizer.authorize("User:admin", HOST, ALTER, ResourceType.CLUSTER, "kafka-cluster"));
    }

    @Test
    void aResourceWithoutAnyAclIsOpenOnlyWithAllowEveryoneIfNoAclFound() {
        AccessControlEntryRecord bobOnT = topicAcl("t", LITERAL, BOB, READ, ALLOW);
        assertFalse(authorizer(Set.of(), false, bobOnT).authorize(ALICE, HOST, READ, TOPIC, "u"));
        AclAuthorizer open = authorizer(Set.of(), true, bobOnT);
        assertTrue(open.authorize(ALICE, HOST, READ, TOPIC, "u"), "no ACL covers u");
        assertFalse(open.authorize(ALICE, HOST, READ, TOPIC, "t"), "t has an ACL, for bob only");
    }

    @Test
    void deletedAclsStopApplyingOnTheNextImage() {
        AccessControlEntryRecord acl = topicAcl("t", LITERAL, ALICE, WRITE, ALLOW);
        AclAuthorizer authorizer = authorizer(Set.of(), false, acl);
        assertTrue(authorizer.authorize(ALICE, HOST, WRITE, TOPIC, "t"));
        apply(authorizer, new RemoveAccessControlEntryRecord(acl.id()));
        assertFalse(authorizer.authorize(ALICE, HOST, WRITE, TOPIC, "t"));
    }

    @Test
    void authorizeAnyNeedsAnAllowThatNoDenyCoversEntirely() {
        AclAuthorizer authorizer = authorizer(Set.of(), false,
                topicAcl("app-", PREFIXED, ALICE, WRITE, ALLOW),
                topicAcl("ap", PREFIXED, BOB, WRITE, DENY),
                topicAcl("app-", PREFIXED, BOB, WRITE, ALLOW),
                topicAcl("x", LITERAL, "User:carol", WRITE, ALLOW),
                topicAcl("x", LITERAL, "User:carol", ALL, DENY));
        assertTrue(authorizer.authorizeAny(ALICE, HOST, WRITE, TOPIC));
        assertFalse(authorizer.authorizeAny(BOB, HOST, WRITE, TOPIC));
        assertFalse(authorizer.authorizeAny("User:carol", HOST, WRITE, TOPIC));
        assertFalse(authorizer.authorizeAny("User:dave", HOST, WRITE, TOPIC));
    }
}
