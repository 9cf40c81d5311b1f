package io.runnel.it.tools;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads the JSON event lines of the verifiable tools: one flat field at a time, enough for these tests. */
final class EventLines {
    private EventLines() {
    }

    static List<String> named(String out, String name) {
        return out.lines().filter(line -> name.equals(field(line, "name"))).toList();
    }

    /** The value of the first field called {@code field}: a string unquoted, anything else as written. */
    static String field(String line, String field) {
        Matcher m = Pattern.compile("\"" + Pattern.quote(field) + "\":(\"((?:[^\"\\\\]|\\\\.)*)\"|[^,}\\]]+)").matcher(line);
        if (!m.find()) {
            return null;
        }
        return m.group(2) != null ? m.group(2) : m.group(1);
    }

    static long longField(String line, String field) {
        String value = field(line, field);
        if (value == null) {
            throw new AssertionError("no field " + field + " in " + line);
        }
        return Long.parseLong(value);
    }
}
