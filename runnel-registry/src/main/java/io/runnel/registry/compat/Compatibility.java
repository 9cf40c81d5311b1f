package io.runnel.registry.compat;

import io.runnel.registry.schema.Incompatibility;
import io.runnel.registry.schema.ParsedSchema;
import java.util.ArrayList;
import java.util.List;

/** Checks a new schema against earlier versions of its subject under a compatibility level, for every schema type. */
public final class Compatibility {
    private Compatibility() {
    }

    /**
     * Why {@code candidate} may not follow {@code earlier} (oldest first) under {@code level}: empty when it may. A
     * non-transitive level looks at the latest earlier version only.
     */
    public static List<String> incompatibilities(CompatibilityLevel level, ParsedSchema candidate,
                                                 List<ParsedSchema> earlier) {
        List<String> messages = new ArrayList<>();
        if (level == CompatibilityLevel.NONE || earlier.isEmpty()) {
            return messages;
        }
        List<ParsedSchema> against = level.transitive ? earlier : earlier.subList(earlier.size() - 1, earlier.size());
        for (ParsedSchema previous : against) {
            if (level.backward) {
                describe(candidate.problemsReading(previous), "backward", messages);
            }
            if (level.forward) {
                describe(previous.problemsReading(candidate), "forward", messages);
            }
        }
        return messages;
    }

    private static void describe(List<Incompatibility> problems, String direction, List<String> messages) {
        for (Incompatibility i : problems) {
            // Confluent's verbose shape: the error type, its description and where it is.
            messages.add("{errorType:'" + i.type() + "', description:'" + i.description() + "', location:'"
                    + i.location() + "', direction:'" + direction + "'}");
        }
    }
}
