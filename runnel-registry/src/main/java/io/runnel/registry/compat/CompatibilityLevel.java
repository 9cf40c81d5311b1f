package io.runnel.registry.compat;

import io.runnel.registry.RegistryException;
import java.util.Locale;

/**
 * Confluent's compatibility levels: which way a new schema must read or be read by earlier ones, and whether against
 * the latest version only or every version (transitive).
 */
public enum CompatibilityLevel {
    NONE(false, false, false),
    BACKWARD(true, false, false),
    BACKWARD_TRANSITIVE(true, false, true),
    FORWARD(false, true, false),
    FORWARD_TRANSITIVE(false, true, true),
    FULL(true, true, false),
    FULL_TRANSITIVE(true, true, true);

    /** New schema reads data written with the earlier ones (consumers upgrade first). */
    final boolean backward;
    /** Earlier schemas read data written with the new one (producers upgrade first). */
    final boolean forward;
    public final boolean transitive;

    CompatibilityLevel(boolean backward, boolean forward, boolean transitive) {
        this.backward = backward;
        this.forward = forward;
        this.transitive = transitive;
    }

    /** The level a client names, in any case; 42203 for anything else. */
    public static CompatibilityLevel parse(String name) {
        if (name != null) {
            try {
                return valueOf(name.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException unknown) {
                // answered below
            }
        }
        throw new RegistryException(42203, "Invalid compatibility level. Valid values are none, backward, forward, "
                + "full, backward_transitive, forward_transitive, and full_transitive");
    }
}
