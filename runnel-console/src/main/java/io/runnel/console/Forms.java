package io.runnel.console;

import io.runnel.http.HttpException;
import io.vertx.ext.web.RoutingContext;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** A posted form's fields (or a page's query parameters); a wrong one is a 400 naming the field and the rule. */
public final class Forms {
    private Forms() {
    }

    /** The field, or a query parameter of that name; "" when absent. */
    public static String optional(RoutingContext ctx, String field) {
        String value = ctx.request().getFormAttribute(field);
        if (value == null) {
            value = ctx.request().getParam(field);
        }
        return value == null ? "" : value;
    }

    public static String required(RoutingContext ctx, String field) {
        String value = optional(ctx, field).trim();
        if (value.isEmpty()) {
            throw new HttpException(400, field + ": a value is required");
        }
        return value;
    }

    /** A whole number in [min, max], empty when the field is blank. */
    public static Optional<Integer> optionalInt(RoutingContext ctx, String field, int min, int max) {
        return optionalLong(ctx, field, min, max).map(Long::intValue);
    }

    public static Optional<Long> optionalLong(RoutingContext ctx, String field, long min, long max) {
        String value = optional(ctx, field).trim();
        if (value.isEmpty()) {
            return Optional.empty();
        }
        try {
            long parsed = Long.parseLong(value);
            if (parsed >= min && parsed <= max) {
                return Optional.of(parsed);
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new HttpException(400, field + ": '" + value + "' must be a whole number from " + min + " to " + max);
    }

    /** Lines of {@code name<separator>value}, blank lines skipped, in order. */
    public static Map<String, String> keyValueLines(String text, String separator, String field) {
        Map<String, String> entries = new LinkedHashMap<>();
        for (String line : text.split("\\r?\\n")) {
            if (line.isBlank()) {
                continue;
            }
            int at = line.indexOf(separator);
            if (at <= 0) {
                throw new HttpException(400, field + ": '" + line.trim() + "' must be name" + separator + "value");
            }
            entries.put(line.substring(0, at).trim(), line.substring(at + separator.length()).trim());
        }
        return entries;
    }
}
