package io.runnel.registry.storage;

/**
 * One version of a subject as the {@code _schemas} topic holds it (Confluent's SchemaValue): the schema text in
 * canonical form, its global id, its type (AVRO, JSON, PROTOBUF) and whether it is soft-deleted.
 */
public record SchemaRecord(String subject, int version, int id, String schemaType, String schema, boolean deleted) {
    public static final String AVRO = "AVRO";

    public SchemaRecord softDeleted() {
        return new SchemaRecord(subject, version, id, schemaType, schema, true);
    }
}
