package io.runnel.metadata.controller;

import io.runnel.metadata.MetadataImage;
import io.runnel.metadata.record.ClientQuotaRecord;
import io.runnel.metadata.record.MetadataRecord;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.apache.kafka.common.message.AlterClientQuotasRequestData;
import org.apache.kafka.common.message.AlterClientQuotasRequestData.EntityData;
import org.apache.kafka.common.message.AlterClientQuotasRequestData.EntryData;
import org.apache.kafka.common.message.AlterClientQuotasRequestData.OpData;
import org.apache.kafka.common.message.AlterClientQuotasResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.quota.ClientQuotaEntity;

/**
 * Kafka's AlterClientQuotas against the image: each entity validated on its own (entity types {@code user} and
 * {@code client-id}, alone or together, a null name being the default; the four client quota keys; whole numbers
 * for byte rates), and only changed values written. An entity with any invalid part changes nothing.
 */
final class ClientQuotaAlterations {
    /** The quotas Runnel enforces on users and client ids, and whether each takes a whole number. */
    private static final Map<String, Boolean> KEYS = Map.of(
            "producer_byte_rate", true,
            "consumer_byte_rate", true,
            "request_percentage", false,
            "controller_mutation_rate", false);
    private static final double EPSILON = 1e-6;

    private ClientQuotaAlterations() {
    }

    static Outcome<AlterClientQuotasResponseData> alter(MetadataImage image, AlterClientQuotasRequestData request) {
        List<MetadataRecord> records = new ArrayList<>();
        AlterClientQuotasResponseData response = new AlterClientQuotasResponseData();
        Set<ClientQuotaEntity> seen = new HashSet<>();
        for (EntryData entry : request.entries()) {
            List<AlterClientQuotasResponseData.EntityData> echoed = new ArrayList<>();
            entry.entity().forEach(e -> echoed.add(new AlterClientQuotasResponseData.EntityData()
                    .setEntityType(e.entityType()).setEntityName(e.entityName())));
            AlterClientQuotasResponseData.EntryData result = new AlterClientQuotasResponseData.EntryData()
                    .setEntity(echoed).setErrorMessage(null);
            response.entries().add(result);
            String error = alterEntity(image, entry, seen, records);
            if (error != null) {
                result.setErrorCode(Errors.INVALID_REQUEST.code()).setErrorMessage(error);
            }
        }
        return new Outcome<>(request.validateOnly() ? List.of() : records, response);
    }

    /** Adds the entity's changed quotas to {@code records}; or, if anything is invalid, adds none and says why. */
    private static String alterEntity(MetadataImage image, EntryData entry, Set<ClientQuotaEntity> seen,
                                      List<MetadataRecord> records) {
        Map<String, String> names = new HashMap<>();
        for (EntityData e : entry.entity()) {
            if (names.containsKey(e.entityType())) {
                return "Invalid client quota entity, duplicate entity type " + e.entityType();
            }
            if (!e.entityType().equals(ClientQuotaEntity.USER) && !e.entityType().equals(ClientQuotaEntity.CLIENT_ID)) {
                return e.entityType().equals(ClientQuotaEntity.IP)
                        ? "Connection rate quotas on ip entities are not supported"
                        : "Unhandled client quota entity type: " + e.entityType();
            }
            if (e.entityName() != null && e.entityName().isEmpty()) {
                return "Empty " + e.entityType() + " not supported";
            }
            names.put(e.entityType(), e.entityName());
        }
        if (names.isEmpty()) {
            return "Invalid empty client quota entity";
        }
        ClientQuotaEntity entity = new ClientQuotaEntity(names);
        if (!seen.add(entity)) {
            return "Ignoring duplicate entity " + entity;
        }
        Map<String, Double> changes = new LinkedHashMap<>();
        for (OpData op : entry.ops()) {
            if (changes.containsKey(op.key())) {
                return "Duplicate quota key " + op.key() + " not updating quota for this entity " + entity;
            }
            if (!op.remove()) {
                String invalid = invalidValue(op.key(), op.value());
                if (invalid != null) {
                    return invalid;
                }
            }
            changes.put(op.key(), op.remove() ? null : op.value());
        }
        Map<String, Double> current = image.clientQuotas().getOrDefault(entity, Map.of());
        changes.forEach((key, value) -> {
            if (value == null ? current.containsKey(key) : !Objects.equals(current.get(key), value)) {
                records.add(new ClientQuotaRecord(entity, key, value));
            }
        });
        return null;
    }

    private static String invalidValue(String key, double value) {
        Boolean whole = KEYS.get(key);
        if (whole == null) {
            return "Invalid configuration key " + key;
        }
        if (!(value > 0) || Double.isInfinite(value)) {
            return "Quota " + key + " must be a positive number, not " + value;
        }
        if (whole && Math.abs(Math.rint(value) - value) > EPSILON) {
            return "Configuration " + key + " must be a Long value";
        }
        return null;
    }
}
