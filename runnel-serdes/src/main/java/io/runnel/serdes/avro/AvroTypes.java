package io.runnel.serdes.avro;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericContainer;
import org.apache.kafka.common.errors.SerializationException;

/** The Avro schema of a value, as Confluent's serializers derive it: a record's own, or the primitive's. */
final class AvroTypes {
    private AvroTypes() {
    }

    static Schema schemaOf(Object value) {
        if (value instanceof GenericContainer container) {
            return container.getSchema();
        }
        Schema.Type type;
        if (value == null) {
            type = Schema.Type.NULL;
        } else if (value instanceof Boolean) {
            type = Schema.Type.BOOLEAN;
        } else if (value instanceof Integer) {
            type = Schema.Type.INT;
        } else if (value instanceof Long) {
            type = Schema.Type.LONG;
        } else if (value instanceof Float) {
            type = Schema.Type.FLOAT;
        } else if (value instanceof Double) {
            type = Schema.Type.DOUBLE;
        } else if (value instanceof CharSequence) {
            type = Schema.Type.STRING;
        } else if (value instanceof byte[]) {
            type = Schema.Type.BYTES;
        } else {
            throw new SerializationException("Cannot write " + value.getClass().getName() + " as Avro: give a "
                    + "GenericRecord, a SpecificRecord or a primitive");
        }
        return Schema.create(type);
    }
}
