package io.runnel.registry.schema;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.erosb.jsonsKema.JsonParser;
import com.github.erosb.jsonsKema.Schema;
import com.github.erosb.jsonsKema.SchemaClient;
import com.github.erosb.jsonsKema.SchemaLoader;
import com.github.erosb.jsonsKema.SchemaLoaderConfig;
import com.github.erosb.jsonsKema.ValidationFailure;
import com.github.erosb.jsonsKema.Validator;
import io.runnel.registry.RegistryException;
import io.runnel.registry.compat.JsonSchemaCompatibility;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A JSON Schema valid against draft 2020-12's meta-schema, loaded by json-sKema, stored as its compact JSON text.
 * Loading never reaches the network: a {@code $ref} to anything but the schema itself or a schema reference is
 * refused.
 */
public record JsonSchema(String canonical, Schema schema) implements ParsedSchema {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Where the schema is taken to live, so a reference's relative name resolves against it. */
    private static final URI BASE = URI.create("https://schema-registry.runnel.invalid/schemas/schema.json");

    static JsonSchema parse(String text, Map<String, String> referenced) {
        JsonNode tree;
        try {
            tree = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw RegistryException.invalidSchema(e.getOriginalMessage());
        }
        if (tree == null || !(tree.isObject() || tree.isBoolean())) {
            throw RegistryException.invalidSchema("a JSON Schema is an object or a boolean");
        }
        String canonical = tree.toString();
        ValidationFailure failure = MetaSchema.VALIDATOR.validate(new JsonParser(canonical, BASE).parse());
        if (failure != null) {
            throw RegistryException.invalidSchema(failure.getMessage() + " at " + failure.getDynamicPath());
        }
        Map<URI, String> references = new HashMap<>();
        referenced.forEach((name, schema) -> references.put(BASE.resolve(name), schema));
        Schema schema = new SchemaLoader(new JsonParser(canonical, BASE).parse(),
                new SchemaLoaderConfig(offline(references), BASE, Map.of())).load();
        return new JsonSchema(canonical, schema);
    }

    /**
     * Serves the schema's references, and the drafts' meta-schemas a {@code $schema} names as the empty schema (the
     * text was already checked against 2020-12's); refuses every other URI: the registry never fetches from the
     * network.
     */
    private static SchemaClient offline(Map<URI, String> references) {
        return uri -> {
            URI document = uri.getFragment() == null ? uri : URI.create(uri.toString().split("#", 2)[0]);
            String reference = references.get(document);
            if (reference == null && "json-schema.org".equals(uri.getHost())) {
                reference = "{}";
            }
            if (reference == null) {
                throw RegistryException.invalidSchema("$ref " + uri + " is neither in the schema nor one of its "
                        + "references");
            }
            return new ByteArrayInputStream(reference.getBytes(StandardCharsets.UTF_8));
        };
    }

    /** Draft 2020-12's meta-schema, which json-sKema serves from its own jar; loaded on first use. */
    private static final class MetaSchema {
        static final Validator VALIDATOR = Validator.forSchema(
                SchemaLoader.forURL("https://json-schema.org/draft/2020-12/schema").load());
    }

    @Override
    public String type() {
        return SchemaTypes.JSON;
    }

    @Override
    public List<Incompatibility> problemsReading(ParsedSchema writer) {
        if (!(writer instanceof JsonSchema written)) {
            return List.of(Incompatibility.ofOtherType(this, writer));
        }
        return JsonSchemaCompatibility.problems(written.schema, schema);
    }
}
