package io.runnel.tools;

import java.util.List;

/**
 * One JSON object written field by field, in the order given: the event lines of the verifiable tools, whose
 * field order follows Kafka's tools so that their output reads the same.
 */
final class JsonLine {
    private final StringBuilder json = new StringBuilder("{");

    /** An event as Kafka's verifiable tools start it: its time, then its name. */
    static JsonLine event(String name) {
        return new JsonLine().put("timestamp", System.currentTimeMillis()).put("name", name);
    }

    /** Adds a field; the value is a String, Number, Boolean, JsonLine, List of those, or null. */
    JsonLine put(String field, Object value) {
        if (json.length() > 1) {
            json.append(',');
        }
        json.append(Json.quote(field)).append(':');
        append(value);
        return this;
    }

    private void append(Object value) {
        if (value == null || value instanceof Number || value instanceof Boolean) {
            json.append(value);
        } else if (value instanceof JsonLine line) {
            json.append(line);
        } else if (value instanceof List<?> list) {
            json.append('[');
            for (int i = 0; i < list.size(); i++) {
                if (i > 0) {
                    json.append(',');
                }
                append(list.get(i));
            }
            json.append(']');
        } else {
            json.append(Json.quote(value.toString()));
        }
    }

    @Override
    public String toString() {
        return json + "}";
    }
}
