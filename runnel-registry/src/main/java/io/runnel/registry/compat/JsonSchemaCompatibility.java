package io.runnel.registry.compat;

import com.github.erosb.jsonsKema.AdditionalPropertiesSchema;
import com.github.erosb.jsonsKema.CompositeSchema;
import com.github.erosb.jsonsKema.EnumSchema;
import com.github.erosb.jsonsKema.FalseSchema;
import com.github.erosb.jsonsKema.IJsonValue;
import com.github.erosb.jsonsKema.ItemsSchema;
import com.github.erosb.jsonsKema.MaxItemsSchema;
import com.github.erosb.jsonsKema.MaxLengthSchema;
import com.github.erosb.jsonsKema.MaximumSchema;
import com.github.erosb.jsonsKema.MinItemsSchema;
import com.github.erosb.jsonsKema.MinLengthSchema;
import com.github.erosb.jsonsKema.MinimumSchema;
import com.github.erosb.jsonsKema.MultiTypeSchema;
import com.github.erosb.jsonsKema.ReferenceSchema;
import com.github.erosb.jsonsKema.RequiredSchema;
import com.github.erosb.jsonsKema.Schema;
import com.github.erosb.jsonsKema.TypeSchema;
import io.runnel.registry.schema.Incompatibility;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Confluent's JSON Schema compatibility rules over json-sKema's loaded schemas, for the keywords records are made of:
 * types, properties and the content model ({@code additionalProperties}), {@code required}, {@code items},
 * {@code enum} and the length, item count and range bounds. A reader must accept every document the writer accepted:
 * so it may not narrow a type, add a property to an open content model (old documents may carry it with any value),
 * drop one from a closed model, close an open one, require a property without a default, drop enum values or tighten
 * a bound.
 */
public final class JsonSchemaCompatibility {
    private static final int MAX_DEPTH = 64;

    private JsonSchemaCompatibility() {
    }

    /** Why documents valid for {@code writer} may not be valid for {@code reader}. */
    public static List<Incompatibility> problems(Schema writer, Schema reader) {
        List<Incompatibility> problems = new ArrayList<>();
        compare(writer, reader, "#", 0, problems);
        return problems;
    }

    private static void compare(Schema writer, Schema reader, String at, int depth, List<Incompatibility> problems) {
        writer = resolved(writer);
        reader = resolved(reader);
        if (depth > MAX_DEPTH || writer == null || reader == null || writer.equals(reader)) {
            return;
        }
        Set<String> written = types(writer);
        Set<String> read = types(reader);
        if (!read.isEmpty()) {
            Set<String> lost = new LinkedHashSet<>(written.isEmpty() ? Set.of("any") : written);
            lost.removeIf(t -> read.contains(t) || ("integer".equals(t) && read.contains("number")));
            if (!lost.isEmpty()) {
                problems.add(new Incompatibility(written.isEmpty() || lost.size() < written.size() ? "TYPE_NARROWED"
                        : "TYPE_CHANGED", "type " + written + " became " + read, at + "/type"));
            }
        }
        compareObjects(writer, reader, at, depth, problems);
        Optional<Schema> writerItems = keyword(writer, ItemsSchema.class).map(ItemsSchema::getItemsSchema);
        Optional<Schema> readerItems = keyword(reader, ItemsSchema.class).map(ItemsSchema::getItemsSchema);
        if (writerItems.isPresent() && readerItems.isPresent()) {
            compare(writerItems.get(), readerItems.get(), at + "/items", depth + 1, problems);
        }
        compareEnums(writer, reader, at, problems);
        upper(writer, reader, MaxLengthSchema.class, s -> s.getMaxLength(), "MAX_LENGTH", at, problems);
        upper(writer, reader, MaxItemsSchema.class, s -> s.getMaxItems(), "MAX_ITEMS", at, problems);
        upper(writer, reader, MaximumSchema.class, MaximumSchema::getMaximum, "MAXIMUM", at, problems);
        lower(writer, reader, MinLengthSchema.class, s -> s.getMinLength(), "MIN_LENGTH", at, problems);
        lower(writer, reader, MinItemsSchema.class, s -> s.getMinItems(), "MIN_ITEMS", at, problems);
        lower(writer, reader, MinimumSchema.class, MinimumSchema::getMinimum, "MINIMUM", at, problems);
    }

    private static void compareObjects(Schema writer, Schema reader, String at, int depth,
                                       List<Incompatibility> problems) {
        Map<String, Schema> writerProperties = properties(writer);
        Map<String, Schema> readerProperties = properties(reader);
        boolean writerOpen = open(writer);
        boolean readerOpen = open(reader);
        if (writerOpen && !readerOpen) {
            problems.add(new Incompatibility("ADDITIONAL_PROPERTIES_REMOVED", "the content model was closed",
                    at + "/additionalProperties"));
        }
        Set<String> required = required(reader);
        Set<String> requiredBefore = required(writer);
        for (Map.Entry<String, Schema> property : writerProperties.entrySet()) {
            String name = property.getKey();
            String where = at + "/properties/" + name;
            Schema counterpart = readerProperties.get(name);
            if (counterpart != null) {
                compare(property.getValue(), counterpart, where, depth + 1, problems);
            } else if (!readerOpen) {
                problems.add(new Incompatibility("PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL", "property " + name
                        + " was removed from a closed content model", where));
            }
        }
        for (Map.Entry<String, Schema> property : readerProperties.entrySet()) {
            String name = property.getKey();
            String where = at + "/properties/" + name;
            boolean added = !writerProperties.containsKey(name);
            if (added && writerOpen) {
                problems.add(new Incompatibility("PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL", "property " + name
                        + " was added to an open content model", where));
            } else if (required.contains(name) && !requiredBefore.contains(name) && !hasDefault(property.getValue())) {
                problems.add(new Incompatibility(added ? "REQUIRED_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL"
                        : "REQUIRED_ATTRIBUTE_ADDED", "property " + name + " became required without a default",
                        where));
            }
        }
    }

    private static void compareEnums(Schema writer, Schema reader, String at, List<Incompatibility> problems) {
        Optional<Set<IJsonValue>> before = keyword(writer, EnumSchema.class).map(e -> new HashSet<>(
                e.getPotentialValues()));
        Optional<Set<IJsonValue>> after = keyword(reader, EnumSchema.class).map(e -> new HashSet<>(
                e.getPotentialValues()));
        if (after.isPresent() && (before.isEmpty() || !after.get().containsAll(before.get()))) {
            problems.add(new Incompatibility("ENUM_ARRAY_NARROWED", "enum values were removed", at + "/enum"));
        }
    }

    /** A maximum the reader lowered (or set where there was none). */
    private static <K extends Schema> void upper(Schema writer, Schema reader, Class<K> keyword,
                                                 Function<K, Number> bound, String name, String at,
                                                 List<Incompatibility> problems) {
        Optional<Double> before = keyword(writer, keyword).map(k -> bound.apply(k).doubleValue());
        Optional<Double> after = keyword(reader, keyword).map(k -> bound.apply(k).doubleValue());
        if (after.isPresent() && (before.isEmpty() || after.get() < before.get())) {
            problems.add(new Incompatibility(name + "_DECREASED", name.toLowerCase(Locale.ROOT) + " became "
                    + after.get(), at));
        }
    }

    /** A minimum the reader raised (or set where there was none). */
    private static <K extends Schema> void lower(Schema writer, Schema reader, Class<K> keyword,
                                                 Function<K, Number> bound, String name, String at,
                                                 List<Incompatibility> problems) {
        Optional<Double> before = keyword(writer, keyword).map(k -> bound.apply(k).doubleValue());
        Optional<Double> after = keyword(reader, keyword).map(k -> bound.apply(k).doubleValue());
        if (after.isPresent() && (before.isEmpty() || after.get() > before.get())) {
            problems.add(new Incompatibility(name + "_INCREASED", name.toLowerCase(Locale.ROOT) + " became "
                    + after.get(), at));
        }
    }

    private static Schema resolved(Schema schema) {
        Schema current = schema;
        for (int i = 0; i < MAX_DEPTH && current instanceof ReferenceSchema ref; i++) {
            current = ref.getReferredSchema();
        }
        if (current instanceof CompositeSchema composite && composite.getPropertySchemas().isEmpty()) {
            // A schema that is only a $ref: the referred schema is what it means.
            Optional<ReferenceSchema> ref = keyword(composite, ReferenceSchema.class);
            if (ref.isPresent() && composite.getSubschemas().size() == 1) {
                return resolved(ref.get().getReferredSchema());
            }
        }
        return current;
    }

    private static <K extends Schema> Optional<K> keyword(Schema schema, Class<K> type) {
        if (type.isInstance(schema)) {
            return Optional.of(type.cast(schema));
        }
        if (schema instanceof CompositeSchema composite) {
            return composite.getSubschemas().stream().filter(type::isInstance).map(type::cast).findFirst();
        }
        return Optional.empty();
    }

    private static Set<String> types(Schema schema) {
        Set<String> types = new LinkedHashSet<>();
        keyword(schema, TypeSchema.class).ifPresent(t -> types.add(t.getType().getValue()));
        keyword(schema, MultiTypeSchema.class).ifPresent(t -> t.getTypes().getElements()
                .forEach(e -> types.add(e.requireString().getValue())));
        return types;
    }

    private static Map<String, Schema> properties(Schema schema) {
        return schema instanceof CompositeSchema composite ? composite.getPropertySchemas() : Map.of();
    }

    private static Set<String> required(Schema schema) {
        return keyword(schema, RequiredSchema.class).map(r -> Set.copyOf(r.getRequiredProperties())).orElse(Set.of());
    }

    /** Open unless {@code additionalProperties} is false: undeclared properties may appear in documents. */
    private static boolean open(Schema schema) {
        return keyword(schema, AdditionalPropertiesSchema.class)
                .map(a -> !(resolved(a.getSubschema()) instanceof FalseSchema)).orElse(true);
    }

    private static boolean hasDefault(Schema schema) {
        return resolved(schema) instanceof CompositeSchema composite && composite.getDefault() != null;
    }
}
