package io.runnel.registry.schema;

import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;

/** An Avro schema parsed by Apache Avro (names and defaults validated), checked by Avro's own reader/writer rules. */
public record AvroSchema(Schema schema) implements ParsedSchema {
    static AvroSchema parse(String text) {
        return new AvroSchema(new Schema.Parser().setValidateDefaults(true).parse(text));
    }

    @Override
    public String type() {
        return SchemaTypes.AVRO;
    }

    @Override
    public String canonical() {
        return schema.toString();
    }

    @Override
    public List<Incompatibility> problemsReading(ParsedSchema writer) {
        if (!(writer instanceof AvroSchema written)) {
            return List.of(Incompatibility.ofOtherType(this, writer));
        }
        SchemaCompatibility.SchemaPairCompatibility result =
                SchemaCompatibility.checkReaderWriterCompatibility(schema, written.schema);
        if (result.getType() == SchemaCompatibilityType.COMPATIBLE) {
            return List.of();
        }
        return result.getResult().getIncompatibilities().stream()
                .map(i -> new Incompatibility(i.getType().name(), i.getMessage(), i.getLocation())).toList();
    }
}
