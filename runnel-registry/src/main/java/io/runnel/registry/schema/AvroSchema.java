package io.runnel.registry.schema;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;

/** An Avro schema parsed by Apache Avro (names and defaults validated), checked by Avro's own reader/writer rules. */
public record AvroSchema(Schema schema, String canonical) implements ParsedSchema {
    /**
     * Parses the referenced schemas first, so the text may use their named types; the stored text names those types
     * rather than copying their definitions in, as Confluent stores it.
     */
    static AvroSchema parse(String text, Collection<String> referenced) {
        Schema.Parser parser = new Schema.Parser().setValidateDefaults(true);
        List<Schema> known = new ArrayList<>();
        for (String reference : referenced) {
            known.add(parser.parse(reference));
        }
        Schema schema = parser.parse(text);
        return new AvroSchema(schema, known.isEmpty() ? schema.toString() : schema.toString(known, false));
    }

    @Override
    public String type() {
        return SchemaTypes.AVRO;
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
