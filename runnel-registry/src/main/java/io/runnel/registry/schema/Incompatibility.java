package io.runnel.registry.schema;

/** One reason a reader schema cannot read a writer's data, in the terms of Confluent's verbose messages. */
public record Incompatibility(String type, String description, String location) {
    static Incompatibility ofOtherType(ParsedSchema reader, ParsedSchema writer) {
        return new Incompatibility("TYPE_MISMATCH", "a " + reader.type() + " schema cannot read data written with a "
                + writer.type() + " schema", "/");
    }
}
