package io.runnel.bench;

import java.util.Locale;

/** The one line this module's tools print for the benchmark to read: {@code RESULT key=value ...}. */
final class ResultLine {
    static final String PREFIX = "RESULT ";

    private final StringBuilder line = new StringBuilder(PREFIX);

    ResultLine put(String key, double value) {
        line.append(key).append('=').append(String.format(Locale.ROOT, "%.3f", value)).append(' ');
        return this;
    }

    void print() {
        System.out.println(line.toString().trim());
    }
}
