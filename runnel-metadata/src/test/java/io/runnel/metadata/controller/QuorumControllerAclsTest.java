package io.runnel.metadata.controller;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.runnel.metadata.AclResult;
import io.runnel.metadata.MetadataDelta;
import io.runnel.metadata.MetadataImage;
import io.runnel.metadata.record.AccessControlEntryRecord;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AccessControlEntryFilter;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourcePatternFilter;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** CreateAcls and DeleteAcls in the controller: validation, ids, duplicates, filters, and the image's snapshot. */
class QuorumControllerAclsTest {
    private static final AclBinding ALICE_WRITES_ORDERS = acl(ResourceType.TOPIC, "orders", PatternType.LITERAL,
            "User:alice", AclOperation.WRITE, AclPermissionType.ALLOW);
    private static final AclBinding BOB_READS_PREFIX = acl(ResourceType.TOPIC, "ord", PatternType.PREFIXED,
            "User:bob", AclOperation.READ, AclPermissionType.ALLOW);
    private static final AclBinding BOB_DENIED_GROUP = acl(ResourceType.GROUP, "g", PatternType.LITERAL,
            "User:bob", AclOperation.READ, AclPermissionType.DENY);

    private final InMemoryMetadataLog log = new InMemoryMetadataLog();
    private final QuorumController controller = new QuorumController(log, 1, (short) 1, 1, 10_000, 9_000, System::nanoTime);

    @AfterEach
    void close() {
        controller.close();
    }

    private static AclBinding acl(ResourceType type, String name, PatternType patternType, String principal,
                                  AclOperation operation, AclPermissionType permission) {
        return new AclBinding(new ResourcePattern(type, name, patternType),
                new AccessControlEntry(principal, "*", operation, permission));
    }

    private List<AclResult> create(AclBinding... bindings) throws Exception {
        return controller.createAcls(List.of(bindings)).get(10, TimeUnit.SECONDS);
    }

    private Set<AclBinding> stored() {
        Set<AclBinding> bindings = new HashSet<>();
        log.image().acls().values().forEach(acl -> bindings.add(acl.binding()));
        return bindings;
    }

    @Test
    void createdAclsGetIdsOfTheirOwnAndADuplicateWritesNothing() throws Exception {
        assertEquals(List.of(AclResult.CREATED, AclResult.CREATED, AclResult.CREATED),
                create(ALICE_WRITES_ORDERS, BOB_READS_PREFIX, BOB_DENIED_GROUP));
        assertEquals(Set.of(ALICE_WRITES_ORDERS, BOB_READS_PREFIX, BOB_DENIED_GROUP), stored());
        assertEquals(3, log.image().acls().size());
        log.image().acls().forEach((id, acl) -> assertEquals(id, acl.id()));

        long offset = log.image().lastAppliedOffset();
        assertEquals(List.of(AclResult.CREATED), create(ALICE_WRITES_ORDERS));
        assertEquals(offset, log.image().lastAppliedOffset(), "an ACL that exists already writes no entry");
    }

    @Test
    void invalidAclsAreInvalidRequestsAndTheValidOnesOfTheSameCallAreStored() throws Exception {
        List<AclResult> results = create(
                acl(ResourceType.UNKNOWN, "x", PatternType.LITERAL, "User:a", AclOperation.READ, AclPermissionType.ALLOW),
                acl(ResourceType.TOPIC, "x", PatternType.UNKNOWN, "User:a", AclOperation.READ, AclPermissionType.ALLOW),
                acl(ResourceType.TOPIC, "x", PatternType.LITERAL, "User:a", AclOperation.UNKNOWN, AclPermissionType.ALLOW),
                acl(ResourceType.TOPIC, "", PatternType.LITERAL, "User:a", AclOperation.READ, AclPermissionType.ALLOW),
                acl(ResourceType.CLUSTER, "c", PatternType.LITERAL, "User:a", AclOperation.ALTER, AclPermissionType.ALLOW),
                acl(ResourceType.TOPIC, "x", PatternType.LITERAL, "alice", AclOperation.READ, AclPermissionType.ALLOW),
                ALICE_WRITES_ORDERS);
        assertEquals(List.of("Invalid resourceType UNKNOWN", "Invalid patternType UNKNOWN", "Invalid operation UNKNOWN",
                "Resource name should not be empty", "The only valid name for the CLUSTER resource is kafka-cluster",
                "Could not parse principal from `alice` (no colon is present separating the principal type from the "
                        + "principal name)"),
                results.subList(0, 6).stream().map(AclResult::message).toList());
        results.subList(0, 6).forEach(r -> assertEquals(Errors.INVALID_REQUEST, r.error()));
        assertEquals(AclResult.CREATED, results.get(6));
        assertEquals(Set.of(ALICE_WRITES_ORDERS), stored());
    }

    @Test
    void deleteRemovesWhatEachFilterMatchesAndNamesIt() throws Exception {
        create(ALICE_WRITES_ORDERS, BOB_READS_PREFIX, BOB_DENIED_GROUP);
        AclBindingFilter bobsTopicAcls = new AclBindingFilter(
                new ResourcePatternFilter(ResourceType.TOPIC, null, PatternType.ANY),
                new AccessControlEntryFilter("User:bob", null, AclOperation.ANY, AclPermissionType.ANY));
        AclBindingFilter matchOrders = new AclBindingFilter(
                new ResourcePatternFilter(ResourceType.ANY, "orders", PatternType.MATCH), AccessControlEntryFilter.ANY);
        AclBindingFilter unknown = new AclBindingFilter(
                new ResourcePatternFilter(ResourceType.UNKNOWN, null, PatternType.ANY), AccessControlEntryFilter.ANY);

        List<AclResult> results = controller.deleteAcls(List.of(bobsTopicAcls, matchOrders, unknown))
                .get(10, TimeUnit.SECONDS);

        assertEquals(List.of(BOB_READS_PREFIX), results.get(0).deleted());
        assertEquals(Set.of(ALICE_WRITES_ORDERS, BOB_READS_PREFIX), new HashSet<>(results.get(1).deleted()),
                "MATCH takes the literal name and the prefixes that cover it");
        assertEquals(AclResult.refused(Errors.INVALID_REQUEST, "Unknown patternFilter."), results.get(2));
        assertEquals(Set.of(BOB_DENIED_GROUP), stored());
    }

    @Test
    void aSnapshotRebuildsTheAcls() throws Exception {
        create(ALICE_WRITES_ORDERS, BOB_READS_PREFIX);
        MetadataImage image = log.image();
        MetadataDelta delta = new MetadataDelta(MetadataImage.empty(image.clusterId()));
        image.toRecords().forEach(delta::replay);
        MetadataImage rebuilt = delta.apply(image.lastAppliedOffset());
        assertEquals(image.acls(), rebuilt.acls());
        assertEquals(2, image.toRecords().stream().filter(r -> r instanceof AccessControlEntryRecord).count());
    }
}
