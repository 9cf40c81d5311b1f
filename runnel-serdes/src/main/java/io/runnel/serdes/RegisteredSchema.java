package io.runnel.serdes;

/** A schema as the registry serves it: its global id, its type (AVRO, JSON, PROTOBUF) and its text. */
public record RegisteredSchema(int id, String schemaType, String schema) {
}
