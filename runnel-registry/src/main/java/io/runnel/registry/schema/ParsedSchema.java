package io.runnel.registry.schema;

import java.util.List;

/** A schema a real library parsed: its type, the canonical text the registry stores, and its compatibility rules. */
public interface ParsedSchema {
    /** AVRO, JSON or PROTOBUF, as Confluent's API names them. */
    String type();

    /** The text the registry stores and compares: the same schema always gives the same text. */
    String canonical();

    /**
     * Why data written with {@code writer} may not be read with this schema: empty when it may. A schema of another
     * type can never read it.
     */
    List<Incompatibility> problemsReading(ParsedSchema writer);
}
