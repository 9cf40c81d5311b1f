package io.runnel.metadata.controller;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.runnel.metadata.MetadataDelta;
import io.runnel.metadata.MetadataImage;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.message.AlterClientQuotasRequestData;
import org.apache.kafka.common.message.AlterClientQuotasRequestData.EntityData;
import org.apache.kafka.common.message.AlterClientQuotasRequestData.EntryData;
import org.apache.kafka.common.message.AlterClientQuotasRequestData.OpData;
import org.apache.kafka.common.message.AlterClientQuotasResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.quota.ClientQuotaEntity;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** AlterClientQuotas in the controller: Kafka's validation per entity, removal, validateOnly and the snapshot. */
class QuorumControllerClientQuotasTest {
    private final InMemoryMetadataLog log = new InMemoryMetadataLog();
    private final QuorumController controller = new QuorumController(log, 1, (short) 1, 1, 10_000, 9_000, System::nanoTime);

    @AfterEach
    void close() {
        controller.close();
    }

    private static EntryData entry(Map<String, String> entity, OpData... ops) {
        List<EntityData> entities = new ArrayList<>();
        entity.forEach((type, name) -> entities.add(new EntityData().setEntityType(type).setEntityName(name)));
        return new EntryData().setEntity(entities).setOps(List.of(ops));
    }

    private static OpData set(String key, double value) {
        return new OpData().setKey(key).setValue(value);
    }

    private static OpData remove(String key) {
        return new OpData().setKey(key).setRemove(true);
    }

    private static Map<String, String> entity(String type, String name) {
        return Collections.singletonMap(type, name);
    }

    private List<String> alter(boolean validateOnly, EntryData... entries) throws Exception {
        AlterClientQuotasResponseData response = controller.alterClientQuotas(new AlterClientQuotasRequestData()
                .setEntries(List.of(entries)).setValidateOnly(validateOnly)).get(10, TimeUnit.SECONDS);
        return response.entries().stream().map(e -> Errors.forCode(e.errorCode()) + (e.errorMessage() == null ? ""
                : ": " + e.errorMessage())).toList();
    }

    private Map<ClientQuotaEntity, Map<String, Double>> stored() {
        return log.image().clientQuotas();
    }

    @Test
    void usersClientIdsTheirPairsAndDefaultsEachHoldTheirOwnQuotas() throws Exception {
        Map<String, String> aliceApp = new HashMap<>();
        aliceApp.put("user", "alice");
        aliceApp.put("client-id", "app");
        assertEquals(List.of("NONE", "NONE", "NONE", "NONE"), alter(false,
                entry(entity("user", "alice"), set("producer_byte_rate", 1024), set("request_percentage", 12.5)),
                entry(entity("user", null), set("consumer_byte_rate", 4096)),
                entry(entity("client-id", "app"), set("controller_mutation_rate", 0.5)),
                entry(aliceApp, set("producer_byte_rate", 512))));

        assertEquals(Map.of(
                new ClientQuotaEntity(Map.of("user", "alice")), Map.of("producer_byte_rate", 1024.0,
                        "request_percentage", 12.5),
                new ClientQuotaEntity(entity("user", null)), Map.of("consumer_byte_rate", 4096.0),
                new ClientQuotaEntity(Map.of("client-id", "app")), Map.of("controller_mutation_rate", 0.5),
                new ClientQuotaEntity(aliceApp), Map.of("producer_byte_rate", 512.0)), stored());

        MetadataDelta delta = new MetadataDelta(MetadataImage.empty("c"));
        log.image().toRecords().forEach(delta::replay);
        assertEquals(stored(), delta.apply(0).clientQuotas(), "a snapshot rebuilds every quota");
    }

    @Test
    void removingTheLastQuotaOfAnEntityRemovesTheEntityAndRemovingAnAbsentOneChangesNothing() throws Exception {
        alter(false, entry(entity("user", "alice"), set("producer_byte_rate", 1024), set("consumer_byte_rate", 2048)));
        long before = log.image().lastAppliedOffset();
        assertEquals(List.of("NONE"), alter(false, entry(entity("user", "alice"), remove("request_percentage"),
                set("producer_byte_rate", 1024))));
        assertEquals(before, log.image().lastAppliedOffset(), "nothing changed, nothing written");

        alter(false, entry(entity("user", "alice"), remove("producer_byte_rate")));
        assertEquals(Map.of(new ClientQuotaEntity(Map.of("user", "alice")), Map.of("consumer_byte_rate", 2048.0)),
                stored());
        alter(false, entry(entity("user", "alice"), remove("consumer_byte_rate")));
        assertEquals(Map.of(), stored());
    }

    @Test
    void anInvalidEntityOrValueIsRefusedWithWhyAndChangesNothingOfThatEntity() throws Exception {
        Map<String, String> twoIps = new HashMap<>();
        twoIps.put("ip", "10.0.0.1");
        assertEquals(List.of(
                "INVALID_REQUEST: Configuration producer_byte_rate must be a Long value",
                "INVALID_REQUEST: Invalid configuration key fetch_rate",
                "INVALID_REQUEST: Quota consumer_byte_rate must be a positive number, not -1.0",
                "INVALID_REQUEST: Unhandled client quota entity type: group",
                "INVALID_REQUEST: Empty user not supported",
                "INVALID_REQUEST: Connection rate quotas on ip entities are not supported",
                "INVALID_REQUEST: Invalid empty client quota entity",
                "INVALID_REQUEST: Duplicate quota key request_percentage not updating quota for this entity "
                        + "ClientQuotaEntity(entries={client-id=c})"),
                alter(false,
                        entry(entity("user", "a"), set("request_percentage", 10), set("producer_byte_rate", 1.5)),
                        entry(entity("user", "b"), set("fetch_rate", 1)),
                        entry(entity("user", "c"), set("consumer_byte_rate", -1)),
                        entry(entity("group", "g"), set("producer_byte_rate", 1)),
                        entry(entity("user", ""), set("producer_byte_rate", 1)),
                        entry(twoIps, set("connection_creation_rate", 1)),
                        entry(Map.of(), set("producer_byte_rate", 1)),
                        entry(entity("client-id", "c"), set("request_percentage", 1), set("request_percentage", 2))));
        assertEquals(Map.of(), stored(), "the valid quota of an invalid entity is not written either");
    }

    @Test
    void aDuplicateEntityIsRefusedAndValidateOnlyWritesNothing() throws Exception {
        assertEquals(List.of("NONE", "INVALID_REQUEST: Ignoring duplicate entity ClientQuotaEntity(entries={user=a})"),
                alter(true, entry(entity("user", "a"), set("producer_byte_rate", 1)),
                        entry(entity("user", "a"), set("consumer_byte_rate", 1))));
        assertEquals(Map.of(), stored());
    }
}
