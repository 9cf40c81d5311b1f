package io.runnel.registry.schema;

import com.squareup.wire.schema.Location;
import com.squareup.wire.schema.internal.parser.ProtoFileElement;
import com.squareup.wire.schema.internal.parser.ProtoParser;
import io.runnel.registry.compat.ProtobufCompatibility;
import java.util.List;

/** A .proto file parsed by Square's Wire (as Confluent's Protobuf provider parses it), stored as Wire prints it. */
public record ProtobufSchema(ProtoFileElement file) implements ParsedSchema {
    private static final Location LOCATION = Location.get("schema.proto");

    static ProtobufSchema parse(String text) {
        return new ProtobufSchema(ProtoParser.Companion.parse(LOCATION, text));
    }

    @Override
    public String type() {
        return SchemaTypes.PROTOBUF;
    }

    @Override
    public String canonical() {
        return file.toSchema();
    }

    @Override
    public List<Incompatibility> problemsReading(ParsedSchema writer) {
        if (!(writer instanceof ProtobufSchema written)) {
            return List.of(Incompatibility.ofOtherType(this, writer));
        }
        return ProtobufCompatibility.problems(written.file, file);
    }
}
