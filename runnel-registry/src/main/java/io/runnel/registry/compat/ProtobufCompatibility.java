package io.runnel.registry.compat;

import com.squareup.wire.schema.Field;
import com.squareup.wire.schema.internal.parser.FieldElement;
import com.squareup.wire.schema.internal.parser.MessageElement;
import com.squareup.wire.schema.internal.parser.OneOfElement;
import com.squareup.wire.schema.internal.parser.ProtoFileElement;
import com.squareup.wire.schema.internal.parser.TypeElement;
import io.runnel.registry.schema.Incompatibility;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Confluent's Protobuf compatibility rules over Wire's parsed .proto files. Fields are matched by number, as the wire
 * format matches them: a message the reader lost, a field whose kind (scalar, message or enum) or scalar encoding
 * changed, a required field added or removed, or fields moved into a oneof make data unreadable; adding, removing or
 * renaming optional fields does not.
 */
public final class ProtobufCompatibility {
    /** Scalar types that share a wire encoding, so each reads what the others wrote. */
    private static final List<Set<String>> SCALAR_GROUPS = List.of(
            Set.of("int32", "uint32", "int64", "uint64", "bool"), Set.of("sint32", "sint64"),
            Set.of("fixed32", "sfixed32"), Set.of("fixed64", "sfixed64"), Set.of("string", "bytes"),
            Set.of("float"), Set.of("double"));

    private ProtobufCompatibility() {
    }

    /** Why data written with {@code writer} may not be read with {@code reader}. */
    public static List<Incompatibility> problems(ProtoFileElement writer, ProtoFileElement reader) {
        Map<String, MessageElement> written = messages(writer);
        Map<String, MessageElement> reading = messages(reader);
        List<Incompatibility> problems = new ArrayList<>();
        written.forEach((name, message) -> {
            MessageElement counterpart = reading.get(name);
            if (counterpart == null) {
                problems.add(new Incompatibility("MESSAGE_REMOVED", "message " + name + " was removed", "#/" + name));
            } else {
                compareFields(name, message, counterpart, problems);
            }
        });
        return problems;
    }

    private static void compareFields(String message, MessageElement writer, MessageElement reader,
                                      List<Incompatibility> problems) {
        Map<Integer, FieldElement> written = fields(writer);
        Map<Integer, FieldElement> reading = fields(reader);
        Map<Integer, String> writtenOneOfs = oneOfOf(writer);
        Map<Integer, String> readingOneOfs = oneOfOf(reader);
        written.forEach((tag, field) -> {
            String where = "#/" + message + "/" + tag;
            FieldElement counterpart = reading.get(tag);
            if (counterpart == null) {
                if (field.getLabel() == Field.Label.REQUIRED) {
                    problems.add(new Incompatibility("REQUIRED_FIELD_REMOVED", "required field " + field.getName()
                            + " was removed", where));
                }
                return;
            }
            String kind = kind(field.getType());
            String readKind = kind(counterpart.getType());
            if (!kind.equals(readKind)) {
                problems.add(new Incompatibility("FIELD_KIND_CHANGED", "field " + field.getName() + " changed from "
                        + field.getType() + " to " + counterpart.getType(), where));
            } else if ("scalar".equals(kind) && !sameEncoding(field.getType(), counterpart.getType())) {
                problems.add(new Incompatibility("FIELD_SCALAR_KIND_CHANGED", "field " + field.getName()
                        + " changed from " + field.getType() + " to " + counterpart.getType(), where));
            } else if (!"scalar".equals(kind) && !typeName(kind, field).equals(typeName(kind, counterpart))) {
                problems.add(new Incompatibility("FIELD_NAMED_TYPE_CHANGED", "field " + field.getName()
                        + " changed from " + field.getType() + " to " + counterpart.getType(), where));
            }
        });
        reading.forEach((tag, field) -> {
            if (field.getLabel() == Field.Label.REQUIRED && !written.containsKey(tag)) {
                problems.add(new Incompatibility("REQUIRED_FIELD_ADDED", "required field " + field.getName()
                        + " was added", "#/" + message + "/" + tag));
            }
        });
        // Fields that were outside oneofs and now share one: a writer may have set several of them.
        Map<String, Integer> movedIn = new HashMap<>();
        readingOneOfs.forEach((tag, oneOf) -> {
            if (written.containsKey(tag) && !writtenOneOfs.containsKey(tag)) {
                movedIn.merge(oneOf, 1, Integer::sum);
            }
        });
        movedIn.forEach((oneOf, count) -> {
            if (count > 1) {
                problems.add(new Incompatibility("MULTIPLE_FIELDS_MOVED_TO_ONEOF", count + " fields moved into oneof "
                        + oneOf, "#/" + message + "/" + oneOf));
            }
        });
    }

    /** Every message of the file by full name, nested ones included. */
    private static Map<String, MessageElement> messages(ProtoFileElement file) {
        Map<String, MessageElement> messages = new LinkedHashMap<>();
        String prefix = file.getPackageName() == null ? "" : file.getPackageName() + ".";
        collect(prefix, file.getTypes(), messages);
        return messages;
    }

    private static void collect(String prefix, List<TypeElement> types, Map<String, MessageElement> messages) {
        for (TypeElement type : types) {
            if (type instanceof MessageElement message) {
                messages.put(prefix + message.getName(), message);
            }
            collect(prefix + type.getName() + ".", type.getNestedTypes(), messages);
        }
    }

    private static Map<Integer, FieldElement> fields(MessageElement message) {
        Map<Integer, FieldElement> fields = new HashMap<>();
        message.getFields().forEach(f -> fields.put(f.getTag(), f));
        message.getOneOfs().forEach(o -> o.getFields().forEach(f -> fields.put(f.getTag(), f)));
        return fields;
    }

    private static Map<Integer, String> oneOfOf(MessageElement message) {
        Map<Integer, String> oneOfs = new HashMap<>();
        for (OneOfElement oneOf : message.getOneOfs()) {
            oneOf.getFields().forEach(f -> oneOfs.put(f.getTag(), oneOf.getName()));
        }
        return oneOfs;
    }

    /** scalar, map or named (a message or an enum, which Wire cannot tell apart before linking). */
    private static String kind(String type) {
        if (type.startsWith("map<")) {
            return "map";
        }
        return SCALAR_GROUPS.stream().anyMatch(g -> g.contains(type)) ? "scalar" : "named";
    }

    private static boolean sameEncoding(String a, String b) {
        return SCALAR_GROUPS.stream().anyMatch(g -> g.contains(a) && g.contains(b));
    }

    /** A named type without its package or enclosing qualification ({@code .pkg.Address} is {@code Address}). */
    private static String typeName(String kind, FieldElement field) {
        String type = field.getType().replace(" ", "");
        return "named".equals(kind) ? type.substring(type.lastIndexOf('.') + 1) : type;
    }
}
