package io.runnel.proxy.format;

import java.util.Locale;

/** How keys and values are embedded in the JSON of requests and answers: Confluent's embedded formats. */
public enum EmbeddedFormat {
    /** Bytes as base64 strings. */
    BINARY,
    /** The record's bytes are UTF-8 JSON, embedded as it is. */
    JSON,
    /** Confluent's wire format (magic 0, a 4-byte schema id, Avro binary), embedded in Avro's JSON encoding. */
    AVRO;

    /** The v2 media type carrying this format, e.g. {@code application/vnd.kafka.binary.v2+json}. */
    public String v2MediaType() {
        return "application/vnd.kafka." + name().toLowerCase(Locale.ROOT) + ".v2+json";
    }

    /** The format a v2 media type names, or null for another media type. */
    public static EmbeddedFormat ofV2MediaType(String mediaType) {
        for (EmbeddedFormat format : values()) {
            if (format.v2MediaType().equals(mediaType)) {
                return format;
            }
        }
        return null;
    }

    /** The format of a consumer instance's {@code format} field ("binary", "json", "avro"), or null. */
    public static EmbeddedFormat ofName(String name) {
        for (EmbeddedFormat format : values()) {
            if (format.name().equalsIgnoreCase(name)) {
                return format;
            }
        }
        return null;
    }
}
