package io.runnel.registry.storage;

/**
 * A schema's reference to another registered schema, as Confluent writes it: the name the referring schema uses for
 * it (an Avro type's full name, a JSON Schema {@code $ref}, a Protobuf import path) and the subject version it is.
 */
public record SchemaReference(String name, String subject, int version) {
}
