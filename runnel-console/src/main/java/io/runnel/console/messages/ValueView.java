package io.runnel.console.messages;

import static io.runnel.console.html.Html.html;

import io.runnel.console.html.Html.Safe;
import io.runnel.console.schemas.RegistryClient;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.io.DecoderFactory;

/**
 * A key's or value's bytes as a person reads them: text, pretty JSON, hex, or Avro decoded with the schema the
 * registry has under the id of Confluent's wire format (magic byte 0, a 4-byte schema id). {@code auto} picks the
 * first that fits: Avro, JSON, text, hex. Long values are cut, saying so.
 */
final class ValueView {
    enum Format { AUTO, TEXT, JSON, HEX, AVRO }

    static final int MAX_CHARS = 10_000;
    private static final int MAX_HEX_BYTES = 2_048;

    private final RegistryClient registry;

    ValueView(RegistryClient registry) {
        this.registry = registry;
    }

    Safe render(byte[] bytes, Format format) {
        if (bytes == null) {
            return html("<span class=\"muted\">null</span>");
        }
        return switch (format) {
            case TEXT -> shown("text", text(bytes), bytes.length);
            case HEX -> hex(bytes);
            case JSON -> json(bytes, true);
            case AVRO -> avro(bytes, true);
            case AUTO -> avro(bytes, false);
        };
    }

    private Safe avro(byte[] bytes, boolean asked) {
        if (bytes.length >= 5 && bytes[0] == 0 && registry != null) {
            int id = ByteBuffer.wrap(bytes, 1, 4).getInt();
            try {
                Schema schema = registry.avroSchema(id);
                if (schema != null) {
                    Object datum = new GenericDatumReader<>(schema).read(null,
                            DecoderFactory.get().binaryDecoder(bytes, 5, bytes.length - 5, null));
                    String decoded = GenericData.get().toString(datum);
                    String pretty = pretty(decoded);
                    return shown("Avro, schema id " + id, pretty == null ? decoded : pretty, decoded.length());
                }
            } catch (IOException | RuntimeException e) {
                // Bytes that only look like the wire format, or a registry that cannot answer: shown otherwise.
                if (asked) {
                    return html("<p class=\"error\">{}</p>{}", "Not Avro with schema id " + id + ": "
                            + e.getMessage(), hex(bytes));
                }
            }
        } else if (asked) {
            return html("<p class=\"muted\">{}</p>{}", registry == null ? "No schema registry is configured"
                    : "Not in Confluent's wire format", hex(bytes));
        }
        return json(bytes, false);
    }

    private Safe json(byte[] bytes, boolean asked) {
        String text = utf8(bytes);
        String trimmed = text == null ? "" : text.trim();
        if (trimmed.startsWith("{") || trimmed.startsWith("[") || asked && text != null) {
            String pretty = pretty(trimmed);
            if (pretty != null) {
                return shown("JSON", pretty, bytes.length);
            }
        }
        if (text != null && printable(text)) {
            return shown("text", text, bytes.length);
        }
        return hex(bytes);
    }

    private static Safe hex(byte[] bytes) {
        int shown = Math.min(bytes.length, MAX_HEX_BYTES);
        StringBuilder out = new StringBuilder();
        HexFormat hex = HexFormat.of();
        for (int i = 0; i < shown; i += 16) {
            out.append(hex.formatHex(bytes, i, Math.min(shown, i + 16)).replaceAll("(..)", "$1 ").trim())
                    .append('\n');
        }
        return html("<div class=\"muted\">{}</div><pre>{}</pre>", shown < bytes.length
                ? "hex, " + bytes.length + " bytes, the first " + shown + " shown" : "hex, " + bytes.length
                + " bytes", out.toString());
    }

    private static Safe shown(String kind, String text, int bytes) {
        String label = text.length() > MAX_CHARS ? kind + ", " + bytes + " bytes, the first " + MAX_CHARS
                + " characters shown" : kind;
        return html("<div class=\"muted\">{}</div><pre>{}</pre>", label,
                text.length() > MAX_CHARS ? text.substring(0, MAX_CHARS) : text);
    }

    /** {@code text} as indented JSON, null when it is not JSON. */
    private static String pretty(String text) {
        try {
            Object value = Json.decodeValue(text);
            if (value instanceof JsonObject o) {
                return o.encodePrettily();
            }
            if (value instanceof JsonArray a) {
                return a.encodePrettily();
            }
            return Json.encode(value);
        } catch (DecodeException | ClassCastException e) {
            return null;
        }
    }

    /** Text for the TEXT format: invalid UTF-8 shown as replacement characters. */
    static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** The bytes as UTF-8, null when they are not UTF-8. */
    private static String utf8(byte[] bytes) {
        try {
            CharBuffer chars = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes));
            return chars.toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    /** No control characters but line breaks and tabs: text a person can read. */
    private static boolean printable(String text) {
        return text.chars().noneMatch(c -> Character.isISOControl(c) && c != '\n' && c != '\r' && c != '\t');
    }
}
