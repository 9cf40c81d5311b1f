package io.runnel.proxy.v2;

import io.runnel.http.HttpException;
import io.runnel.proxy.ClusterClients;
import io.runnel.proxy.RestErrors;
import io.runnel.proxy.consumer.ConsumerInstance;
import io.runnel.proxy.consumer.ConsumerInstances;
import io.runnel.proxy.format.EmbeddedFormat;
import io.runnel.proxy.http.Bodies;
import io.runnel.proxy.http.Replies;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * API v2's consumer instances: create and delete, subscription (topics or a pattern), manual assignment, positions
 * and seeks, committed offsets and records. Every call on an instance runs on that instance's thread.
 */
public final class ConsumerRoutes {
    private static final String INSTANCE = "/consumers/:group/instances/:instance";
    /** The media types of v2 requests that embed no data, as Confluent's proxy takes them. */
    static final Set<String> V2_TYPES = Set.of("application/vnd.kafka.v2+json", "application/vnd.kafka+json",
            "application/json");

    private final ClusterClients clients;
    private final ConsumerInstances instances;
    private final Replies replies;

    public ConsumerRoutes(ClusterClients clients, ConsumerInstances instances, Replies replies) {
        this.clients = clients;
        this.instances = instances;
        this.replies = replies;
    }

    public void install(Router router) {
        router.post("/consumers/:group").handler(this::create);
        router.delete(INSTANCE).handler(ctx -> replies.laterNoContent(ctx,
                instances.delete(ctx.pathParam("group"), ctx.pathParam("instance"))));
        router.post(INSTANCE + "/subscription").handler(this::subscribe);
        router.get(INSTANCE + "/subscription").handler(ctx -> replies.later(ctx, call(ctx, c -> new TreeSet<>(
                c.subscription())), topics -> new JsonObject().put("topics", new JsonArray(List.copyOf(topics)))));
        router.delete(INSTANCE + "/subscription").handler(ctx -> replies.laterNoContent(ctx, call(ctx, c -> {
            c.unsubscribe();
            return null;
        })));
        router.post(INSTANCE + "/assignments").handler(ctx -> {
            List<TopicPartition> partitions = partitions(body(ctx), "partitions");
            replies.laterNoContent(ctx, call(ctx, c -> {
                c.assign(partitions);
                return null;
            }));
        });
        router.get(INSTANCE + "/assignments").handler(ctx -> replies.later(ctx, call(ctx, c -> List.copyOf(
                c.assignment())), assigned -> new JsonObject().put("partitions", partitionsJson(assigned))));
        router.post(INSTANCE + "/positions").handler(ctx -> {
            Map<TopicPartition, Long> offsets = offsets(body(ctx));
            replies.laterNoContent(ctx, call(ctx, c -> {
                offsets.forEach(c::seek);
                return null;
            }));
        });
        router.post(INSTANCE + "/positions/beginning").handler(ctx -> {
            List<TopicPartition> partitions = partitions(body(ctx), "partitions");
            replies.laterNoContent(ctx, call(ctx, c -> {
                c.seekToBeginning(partitions);
                return null;
            }));
        });
        router.post(INSTANCE + "/positions/end").handler(ctx -> {
            List<TopicPartition> partitions = partitions(body(ctx), "partitions");
            replies.laterNoContent(ctx, call(ctx, c -> {
                c.seekToEnd(partitions);
                return null;
            }));
        });
        router.post(INSTANCE + "/offsets").handler(this::commit);
        router.get(INSTANCE + "/offsets").handler(this::committed);
        router.get(INSTANCE + "/records").handler(this::records);
    }

    /** Creates the KafkaConsumer on a worker thread: its constructor resolves the bootstrap servers. */
    private void create(RoutingContext ctx) {
        String group = ctx.pathParam("group");
        JsonObject request = body(ctx);
        if ("avro".equalsIgnoreCase(request.getString("format"))) {
            // An avro instance could read nothing without a registry: refused before it joins its group.
            clients.registry();
        }
        String host = ctx.request().getHeader("Host");
        String base = "http://" + (host == null ? ctx.request().localAddress().hostAddress() + ":"
                + ctx.request().localAddress().port() : host) + "/consumers/" + group + "/instances/";
        replies.later(ctx, ctx.vertx().executeBlocking(() -> instances.create(group, request)).toCompletionStage(),
                instance -> new JsonObject().put("instance_id", instance.name()).put("base_uri",
                        base + instance.name()));
    }

    private void subscribe(RoutingContext ctx) {
        JsonObject body = body(ctx);
        JsonArray topics = body.getJsonArray("topics");
        String pattern = body.getString("topic_pattern");
        if ((topics == null) == (pattern == null)) {
            throw RestErrors.unprocessable("a subscription names either topics or a topic_pattern");
        }
        if (topics != null) {
            List<String> names = new ArrayList<>();
            topics.forEach(t -> names.add((String) t));
            replies.laterNoContent(ctx, call(ctx, c -> {
                checkNotAssigned(c);
                c.subscribe(names);
                return null;
            }));
            return;
        }
        Pattern compiled;
        try {
            compiled = Pattern.compile(pattern);
        } catch (PatternSyntaxException e) {
            throw RestErrors.unprocessable("topic_pattern is not a regular expression: " + e.getDescription());
        }
        replies.laterNoContent(ctx, call(ctx, c -> {
            checkNotAssigned(c);
            c.subscribe(compiled);
            return null;
        }));
    }

    /** A consumer given partitions by hand cannot also subscribe (Kafka's rule, Confluent's 40901). */
    private static void checkNotAssigned(KafkaConsumer<byte[], byte[]> consumer) {
        if (consumer.subscription().isEmpty() && !consumer.assignment().isEmpty()) {
            throw RestErrors.alreadySubscribed();
        }
    }

    /**
     * Commits the offsets given (each the offset of the last record processed, so the group resumes after it, as
     * Confluent's proxy does), or every position of the instance when the body names none.
     */
    private void commit(RoutingContext ctx) {
        JsonObject body = body(ctx);
        if (body.getValue("offsets") == null) {
            replies.laterNoContent(ctx, call(ctx, c -> {
                c.commitSync();
                return null;
            }));
            return;
        }
        Map<TopicPartition, OffsetAndMetadata> commits = new LinkedHashMap<>();
        offsets(body).forEach((partition, offset) -> commits.put(partition, new OffsetAndMetadata(offset + 1)));
        replies.laterNoContent(ctx, call(ctx, c -> {
            c.commitSync(commits);
            return null;
        }));
    }

    private void committed(RoutingContext ctx) {
        List<TopicPartition> partitions = partitions(body(ctx), "partitions");
        replies.later(ctx, call(ctx, c -> c.committed(Set.copyOf(partitions))), committed -> {
            JsonArray offsets = new JsonArray();
            for (TopicPartition partition : partitions) {
                OffsetAndMetadata offset = committed.get(partition);
                offsets.add(new JsonObject().put("topic", partition.topic()).put("partition", partition.partition())
                        .put("offset", offset == null ? -1 : offset.offset())
                        .put("metadata", offset == null ? "" : offset.metadata()));
            }
            return new JsonObject().put("offsets", offsets);
        });
    }

    private void records(RoutingContext ctx) {
        ConsumerInstance instance = instance(ctx);
        checkAccept(ctx, instance.format());
        long timeout = longParam(ctx, "timeout", instance.requestTimeoutMs());
        long maxBytes = Math.min(longParam(ctx, "max_bytes", clients.config().consumerRequestMaxBytes()),
                clients.config().consumerRequestMaxBytes());
        CompletableFuture<JsonArray> read = instance.call(c -> RecordsReader.read(c, instance.format(), timeout,
                maxBytes, instance.format() == EmbeddedFormat.AVRO ? clients.registry() : null));
        replies.laterAs(ctx, instance.format().v2MediaType(), read);
    }

    /** 40601 when the request asks for another embedded format than the instance's; 406 for no JSON at all. */
    private static void checkAccept(RoutingContext ctx, EmbeddedFormat format) {
        String accept = ctx.request().getHeader("Accept");
        if (accept == null || accept.contains("*/*") || accept.contains(format.v2MediaType())) {
            return;
        }
        for (EmbeddedFormat other : EmbeddedFormat.values()) {
            if (accept.contains(other.v2MediaType())) {
                throw RestErrors.consumerFormatMismatch();
            }
        }
        if (!accept.contains("application/vnd.kafka.v2+json") && !accept.contains("application/json")) {
            throw new HttpException(406, "HTTP 406 Not Acceptable");
        }
    }

    private ConsumerInstance instance(RoutingContext ctx) {
        return instances.get(ctx.pathParam("group"), ctx.pathParam("instance"));
    }

    private <T> CompletableFuture<T> call(RoutingContext ctx, Function<KafkaConsumer<byte[], byte[]>, T> call) {
        return instance(ctx).call(call);
    }

    /** A request body of a v2 call that embeds no data: 415 for another media type. */
    private static JsonObject body(RoutingContext ctx) {
        if (ctx.body().length() > 0 || Bodies.mediaType(ctx) != null) {
            Bodies.requireMediaType(ctx, V2_TYPES);
        }
        return Bodies.object(ctx);
    }

    private static long longParam(RoutingContext ctx, String name, long defaultValue) {
        String value = ctx.request().getParam(name);
        if (value == null) {
            return defaultValue;
        }
        try {
            long parsed = Long.parseLong(value);
            if (parsed >= 0) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new HttpException(400, name + " must be a non-negative integer, not " + value);
    }

    /** {@code [{"topic":..,"partition":..}]} under {@code field}. */
    private static List<TopicPartition> partitions(JsonObject body, String field) {
        JsonArray array = body.getJsonArray(field);
        if (array == null) {
            throw RestErrors.unprocessable(field + " is required");
        }
        List<TopicPartition> partitions = new ArrayList<>();
        for (Object entry : array) {
            JsonObject p = (JsonObject) entry;
            partitions.add(new TopicPartition(required(p.getString("topic"), "topic"),
                    required(p.getInteger("partition"), "partition")));
        }
        return partitions;
    }

    /** {@code {"offsets":[{"topic":..,"partition":..,"offset":..}]}}. */
    private static Map<TopicPartition, Long> offsets(JsonObject body) {
        JsonArray array = body.getJsonArray("offsets");
        if (array == null) {
            throw RestErrors.unprocessable("offsets is required");
        }
        Map<TopicPartition, Long> offsets = new LinkedHashMap<>();
        for (Object entry : array) {
            JsonObject o = (JsonObject) entry;
            long offset = required(o.getLong("offset"), "offset");
            if (offset < 0) {
                throw RestErrors.unprocessable("offset must not be negative");
            }
            offsets.put(new TopicPartition(required(o.getString("topic"), "topic"),
                    required(o.getInteger("partition"), "partition")), offset);
        }
        return offsets;
    }

    private static <T> T required(T value, String field) {
        if (value == null) {
            throw RestErrors.unprocessable(field + " is required");
        }
        return value;
    }

    private static JsonArray partitionsJson(List<TopicPartition> partitions) {
        JsonArray array = new JsonArray();
        partitions.stream().sorted((a, b) -> a.topic().equals(b.topic()) ? Integer.compare(a.partition(),
                b.partition()) : a.topic().compareTo(b.topic())).forEach(p -> array.add(new JsonObject()
                .put("topic", p.topic()).put("partition", p.partition())));
        return array;
    }
}
