package io.runnel.metadata.record;

import org.apache.kafka.common.quota.ClientQuotaEntity;

/**
 * One quota of a client-quota entity, as Kafka's ClientQuotaRecord: the entity maps entity types ({@code user},
 * {@code client-id}) to names, a null name being that type's default; {@code key} is a quota such as
 * {@code producer_byte_rate}; a null {@code value} removes the quota.
 */
public record ClientQuotaRecord(ClientQuotaEntity entity, String key, Double value) implements MetadataRecord {
}
