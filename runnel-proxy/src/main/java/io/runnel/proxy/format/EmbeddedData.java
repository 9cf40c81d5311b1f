package io.runnel.proxy.format;

import io.runnel.http.HttpException;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.util.Base64;
import java.util.concurrent.CompletionException;

/**
 * Record bytes as a consumer instance embeds them in its answers: base64 (binary), the JSON itself (json), or the
 * Avro datum in Avro's JSON encoding, its schema read from the registry by the id in the bytes (avro). Runs on a
 * consumer instance's thread, which may wait for the registry.
 */
public final class EmbeddedData {
    private EmbeddedData() {
    }

    public static Object embed(EmbeddedFormat format, byte[] data, SchemaRegistryClient registry) {
        if (data == null) {
            return null;
        }
        try {
            return switch (format) {
                case BINARY -> Base64.getEncoder().encodeToString(data);
                case JSON -> Json.decodeValue(Buffer.buffer(data));
                case AVRO -> AvroJson.toJson(registry.schema(AvroJson.schemaId(data)).join(), data);
            };
        } catch (DecodeException | IllegalArgumentException | IOException e) {
            // Data another producer wrote in another format: the consumer's deserializer fails as Confluent's does.
            throw new HttpException(50002, "Kafka error: the record cannot be read as " + format + ": "
                    + e.getMessage());
        } catch (CompletionException e) {
            throw e.getCause() instanceof HttpException h ? h : e;
        }
    }
}
