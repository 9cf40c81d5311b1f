package io.runnel.registry.storage;

import java.util.List;

/**
 * One version of a subject as the {@code _schemas} topic holds it (Confluent's SchemaValue): the schema text in
 * canonical form, the schemas it references, its global id, its type (AVRO, JSON, PROTOBUF) and whether it is
 * soft-deleted.
 */
public record SchemaRecord(String subject, int version, int id, String schemaType, String schema,
                           List<SchemaReference> references, boolean deleted) {
    public static final String AVRO = "AVRO";

    public SchemaRecord {
        references = List.copyOf(references);
    }

    /** A version referencing no other schema. */
    public SchemaRecord(String subject, int version, int id, String schemaType, String schema, boolean deleted) {
        this(subject, version, id, schemaType, schema, List.of(), deleted);
    }

    public SchemaRecord softDeleted() {
        return new SchemaRecord(subject, version, id, schemaType, schema, references, true);
    }

    /** The same schema: same type, same text, same references (what shares an id across subjects). */
    public boolean sameSchema(String type, String canonical, List<SchemaReference> refs) {
        return schemaType.equals(type) && schema.equals(canonical) && references.equals(refs);
    }
}
