package io.runnel.console.messages;

import static io.runnel.console.ConsoleClients.await;
import static io.runnel.console.html.Html.html;

import io.runnel.console.ConsoleClients;
import io.runnel.console.Forms;
import io.runnel.console.html.Html;
import io.runnel.console.html.Html.Safe;
import io.runnel.console.html.Pages;
import io.runnel.console.topics.Topics;
import io.runnel.http.HttpException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;

/** A topic's messages: browsed from the start, the end, an offset or a time, filtered; and a form to produce one. */
public final class MessagePages {
    private static final int DEFAULT_LIMIT = 50;
    private static final int MAX_LIMIT = 1_000;

    private final ConsoleClients clients;
    private final Pages pages;
    private final RecordReader reader;
    private final ValueView view;

    public MessagePages(ConsoleClients clients, Pages pages) {
        this.clients = clients;
        this.pages = pages;
        this.reader = new RecordReader(clients);
        this.view = new ValueView(clients.registry());
    }

    public void install(Router router) {
        router.get("/topics/:topic/messages").blockingHandler(this::browse, false);
        router.post("/topics/:topic/messages").blockingHandler(this::produce, false);
        router.get("/topics/:topic/messages/tail").blockingHandler(this::tail, false);
    }

    private void browse(RoutingContext ctx) {
        String topic = ctx.pathParam("topic");
        List<TopicPartition> all = Topics.partitions(Topics.describe(clients.admin(), topic));
        Browse browse = browse(ctx, all.size());
        ValueView.Format format = choice(ctx, "format", ValueView.Format.class, ValueView.Format.AUTO);
        List<TopicPartition> partitions = browse.partition() == null ? all
                : List.of(new TopicPartition(topic, browse.partition()));
        RecordReader.Page page = reader.read(partitions, browse);
        List<List<?>> rows = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : page.records()) {
            rows.add(List.of(r.partition(), r.offset(), Instant.ofEpochMilli(r.timestamp()).toString(),
                    view.render(r.key(), format == ValueView.Format.AVRO ? format : ValueView.Format.AUTO),
                    view.render(r.value(), format), headers(r)));
        }
        String summary = page.records().size() + " records shown, " + page.scanned() + " read"
                + (page.complete() ? "" : " (stopped early: the next page starts from a later offset or time)");
        String base = "/topics/" + Html.url(topic);
        pages.send(ctx, "Messages of " + topic, html("<p>{}</p>{}<p class=\"muted\" role=\"status\">{}</p>"
                        + "<p><label><input type=\"checkbox\" id=\"tail\" data-positions=\"{}\"> Live tail (adds "
                        + "new records every 2 s, as text)</label></p>{}{}<script src=\"/static/tail.js\" defer>"
                        + "</script>",
                Html.link(base, "Back to topic " + topic), filters(ctx, base, all.size()), summary,
                positions(page.ends()), Html.table(List.of("Partition", "Offset", "Timestamp", "Key", "Value",
                        "Headers"), rows), produceForm(base, all.size())));
    }

    /**
     * A live tail's poll: the records after {@code positions} ({@code partition:offset,...}, as the page or the
     * previous poll gave them) that pass the page's filters, the newest kept, as JSON with keys, values and headers
     * as text; and the positions to ask from next.
     */
    private void tail(RoutingContext ctx) {
        String topic = ctx.pathParam("topic");
        int partitions = Topics.describe(clients.admin(), topic).partitions().size();
        Browse asked = browse(ctx, partitions);
        Browse newest = new Browse(Browse.From.END, asked.partition(), 0, 0, asked.limit(), asked.keyContains(),
                asked.valueContains(), asked.header());
        Map<TopicPartition, Long> positions = new HashMap<>();
        for (String entry : Forms.required(ctx, "positions").split(",")) {
            String[] parts = entry.split(":");
            try {
                int partition = Integer.parseInt(parts[0].trim());
                long offset = Long.parseLong(parts[1].trim());
                if (parts.length == 2 && partition >= 0 && partition < partitions && offset >= 0) {
                    positions.put(new TopicPartition(topic, partition), offset);
                    continue;
                }
            } catch (NumberFormatException | ArrayIndexOutOfBoundsException e) {
                // answered below
            }
            throw new HttpException(400, "positions: '" + entry + "' must be partition:offset, a partition of "
                    + topic + " and an offset of 0 or more");
        }
        RecordReader.Page page = reader.readAfter(positions, newest);
        JsonArray records = new JsonArray();
        for (ConsumerRecord<byte[], byte[]> r : page.records()) {
            JsonArray headers = new JsonArray();
            r.headers().forEach(h -> headers.add(new JsonObject().put("name", h.key()).put("value", text(h.value()))));
            records.add(new JsonObject().put("partition", r.partition()).put("offset", r.offset())
                    .put("timestamp", Instant.ofEpochMilli(r.timestamp()).toString()).put("key", text(r.key()))
                    .put("value", text(r.value())).put("headers", headers));
        }
        ctx.response().putHeader("Content-Type", "application/json").putHeader("Cache-Control", "no-store")
                .end(new JsonObject().put("positions", positions(page.ends())).put("records", records).encode());
    }

    /** {@code partition:offset,...}, by partition. */
    private static String positions(Map<TopicPartition, Long> offsets) {
        return String.join(",", offsets.entrySet().stream()
                .sorted(Map.Entry.comparingByKey(Comparator.comparingInt(TopicPartition::partition)))
                .map(e -> e.getKey().partition() + ":" + e.getValue()).toList());
    }

    /** Bytes as UTF-8 text, cut as the page cuts them; null stays null. */
    private static String text(byte[] bytes) {
        if (bytes == null) {
            return null;
        }
        String text = ValueView.text(bytes);
        return text.length() > ValueView.MAX_CHARS ? text.substring(0, ValueView.MAX_CHARS) + "…" : text;
    }

    private static Browse browse(RoutingContext ctx, int partitions) {
        Browse.From from = choice(ctx, "from", Browse.From.class, Browse.From.END);
        // The browse form's partition choice "all" reads every partition, as no choice does.
        Integer partition = "all".equals(Forms.optional(ctx, "partition")) ? null
                : Forms.optionalInt(ctx, "partition", 0, partitions - 1).orElse(null);
        long offset = from == Browse.From.OFFSET ? Forms.optionalLong(ctx, "offset", 0, Long.MAX_VALUE)
                .orElseThrow(() -> new HttpException(400, "offset: a value is required to start from an offset"))
                : 0;
        long timestamp = from == Browse.From.TIMESTAMP ? timestamp(Forms.required(ctx, "timestamp")) : 0;
        int limit = Forms.optionalInt(ctx, "limit", 1, MAX_LIMIT).orElse(DEFAULT_LIMIT);
        return new Browse(from, partition, offset, timestamp, limit, Forms.optional(ctx, "key"),
                Forms.optional(ctx, "value"), Forms.optional(ctx, "header").trim());
    }

    /** Epoch milliseconds, or an ISO-8601 date and time (UTC when it has no offset). */
    private static long timestamp(String value) {
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException notMillis) {
            try {
                return Instant.parse(value).toEpochMilli();
            } catch (DateTimeParseException notInstant) {
                try {
                    return LocalDateTime.parse(value).toInstant(ZoneOffset.UTC).toEpochMilli();
                } catch (DateTimeParseException e) {
                    throw new HttpException(400, "timestamp: '" + value + "' must be epoch milliseconds or a date "
                            + "and time such as 2024-05-01T12:00:00Z");
                }
            }
        }
    }

    private static <E extends Enum<E>> E choice(RoutingContext ctx, String field, Class<E> type, E otherwise) {
        String value = Forms.optional(ctx, field).trim();
        if (value.isEmpty()) {
            return otherwise;
        }
        try {
            return Enum.valueOf(type, value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new HttpException(400, field + ": '" + value + "' must be one of "
                    + Arrays.toString(type.getEnumConstants()).toLowerCase(Locale.ROOT));
        }
    }

    private static Safe headers(ConsumerRecord<byte[], byte[]> record) {
        List<Safe> items = new ArrayList<>();
        for (Header h : record.headers()) {
            items.add(html("<li>{}: {}</li>", h.key(), h.value() == null ? "null" : text(h.value())));
        }
        return items.isEmpty() ? Html.EMPTY : html("<ul class=\"headers\">{}</ul>", Html.join(items));
    }

    private static Safe filters(RoutingContext ctx, String base, int partitions) {
        List<String> partitionChoices = new ArrayList<>(List.of("all"));
        for (int p = 0; p < partitions; p++) {
            partitionChoices.add(String.valueOf(p));
        }
        String partition = Forms.optional(ctx, "partition");
        return html("<form method=\"get\" action=\"{}\" class=\"filters\" aria-label=\"Browse\">"
                        + "<label>From{}</label><label>Partition{}</label>"
                        + "<label>Offset<input name=\"offset\" value=\"{}\"></label>"
                        + "<label>Timestamp<input name=\"timestamp\" value=\"{}\" placeholder=\"2024-05-01T12:00:00Z\">"
                        + "</label><label>Records<input name=\"limit\" value=\"{}\" size=\"5\"></label>"
                        + "<label>Key contains<input name=\"key\" value=\"{}\"></label>"
                        + "<label>Value contains<input name=\"value\" value=\"{}\"></label>"
                        + "<label>Header (name or name=value)<input name=\"header\" value=\"{}\"></label>"
                        + "<label>Show values as{}</label><button type=\"submit\">Search</button></form>",
                base + "/messages",
                bareSelect("from", List.of("end", "start", "offset", "timestamp"), Forms.optional(ctx, "from")),
                bareSelect("partition", partitionChoices, partition.isEmpty() ? "all" : partition),
                Forms.optional(ctx, "offset"), Forms.optional(ctx, "timestamp"),
                Forms.optional(ctx, "limit").isEmpty() ? String.valueOf(DEFAULT_LIMIT) : Forms.optional(ctx, "limit"),
                Forms.optional(ctx, "key"), Forms.optional(ctx, "value"), Forms.optional(ctx, "header"),
                bareSelect("format", List.of("auto", "text", "json", "hex", "avro"), Forms.optional(ctx, "format")));
    }

    /** A select inside its label (the filters' layout). */
    private static Safe bareSelect(String name, List<String> values, String selected) {
        List<Safe> options = values.stream().map(v -> html(v.equalsIgnoreCase(selected) ? "<option selected>{}"
                + "</option>" : "<option>{}</option>", v)).toList();
        return html("<select name=\"{}\">{}</select>", name, Html.join(options));
    }

    private Safe produceForm(String base, int partitions) {
        return pages.form(base + "/messages", "Produce a record", Html.join(List.of(
                Html.input("key", "Key", ""),
                html("<label for=\"f-value\">Value</label><textarea id=\"f-value\" name=\"value\"></textarea>"),
                html("<label for=\"f-headers\">Headers (one name: value a line)</label>"
                        + "<textarea id=\"f-headers\" name=\"headers\"></textarea>"),
                Html.input("partition", "Partition (0 to " + (partitions - 1) + ", empty: the producer picks)", ""))),
                "Produce");
    }

    private void produce(RoutingContext ctx) {
        String topic = ctx.pathParam("topic");
        int partitions = Topics.describe(clients.admin(), topic).partitions().size();
        Integer partition = Forms.optionalInt(ctx, "partition", 0, partitions - 1).orElse(null);
        String key = Forms.optional(ctx, "key");
        ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(topic, partition,
                key.isEmpty() ? null : key.getBytes(StandardCharsets.UTF_8),
                Forms.optional(ctx, "value").getBytes(StandardCharsets.UTF_8));
        Forms.keyValueLines(Forms.optional(ctx, "headers"), ":", "headers")
                .forEach((name, value) -> record.headers().add(name, value.getBytes(StandardCharsets.UTF_8)));
        RecordMetadata sent = await(clients.producer().send(record));
        Pages.redirect(ctx, "/topics/" + Html.url(topic) + "/messages?from=offset&partition=" + sent.partition()
                + "&offset=" + sent.offset(), "Produced to partition " + sent.partition() + " at offset "
                + sent.offset());
    }
}
