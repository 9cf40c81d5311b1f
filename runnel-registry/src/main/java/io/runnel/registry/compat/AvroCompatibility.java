package io.runnel.registry.compat;

import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.Incompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;

/** Checks a new Avro schema against earlier versions of its subject with Avro's own reader/writer checker. */
public final class AvroCompatibility {
    private AvroCompatibility() {
    }

    /**
     * Why {@code candidate} may not follow {@code earlier} (oldest first) under {@code level}: empty when it may. A
     * non-transitive level looks at the latest earlier version only.
     */
    public static List<String> incompatibilities(CompatibilityLevel level, Schema candidate, List<Schema> earlier) {
        List<String> messages = new ArrayList<>();
        if (level == CompatibilityLevel.NONE || earlier.isEmpty()) {
            return messages;
        }
        List<Schema> against = level.transitive ? earlier : earlier.subList(earlier.size() - 1, earlier.size());
        for (Schema previous : against) {
            if (level.backward) {
                check(candidate, previous, "backward", messages);
            }
            if (level.forward) {
                check(previous, candidate, "forward", messages);
            }
        }
        return messages;
    }

    private static void check(Schema reader, Schema writer, String direction, List<String> messages) {
        SchemaCompatibility.SchemaPairCompatibility result =
                SchemaCompatibility.checkReaderWriterCompatibility(reader, writer);
        if (result.getType() == SchemaCompatibilityType.COMPATIBLE) {
            return;
        }
        for (Incompatibility i : result.getResult().getIncompatibilities()) {
            // Confluent's verbose shape: the Avro error type, its description and where it is.
            messages.add("{errorType:'" + i.getType() + "', description:'" + i.getMessage() + "', location:'"
                    + i.getLocation() + "', direction:'" + direction + "'}");
        }
    }
}
