package io.runnel.it.wire;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.errors.UnsupportedVersionException;
import org.apache.kafka.common.message.ApiMessageType;
import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.record.internal.CompressionType;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.MemoryRecordsBuilder;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.apache.kafka.common.requests.RequestHeader;
import org.apache.kafka.common.requests.RequestUtils;

/**
 * Valid request frames for every api key and version a broker advertises: the default body of each version, a
 * filled-in body ({@link SeedRequests}) where the version can carry it, and Produce requests whose record batches use
 * every compression codec, the old message format, several batches, and an idempotent producer's sequence.
 */
public final class FuzzSeeds {
    private static final String CLIENT_ID = "runnel-fuzz";
    /** Requests that delete or reconfigure topics: their seeds name only the scratch topic. */
    private static final Set<ApiKeys> CHANGE_TOPICS = Set.of(ApiKeys.DELETE_TOPICS, ApiKeys.DELETE_RECORDS,
            ApiKeys.ALTER_CONFIGS, ApiKeys.INCREMENTAL_ALTER_CONFIGS, ApiKeys.CREATE_PARTITIONS);

    private final SeedRequests requests;
    private final String logTopic;
    private final Uuid logTopicId;

    /** {@code logTopic} takes the Produce seeds' records; destructive requests name {@code scratchTopic}. */
    public FuzzSeeds(String logTopic, Uuid logTopicId, String scratchTopic, int nodeId) {
        this.requests = new SeedRequests(logTopic, logTopicId, scratchTopic, nodeId);
        this.logTopic = logTopic;
        this.logTopicId = logTopicId;
    }

    /**
     * Whether requests of this key delete or reconfigure topics. A mutation that gives another seed's body such a key
     * would turn a request naming the log topic (a Fetch, a Metadata) into one deleting the records the fuzzer checks.
     */
    public static boolean changesTopics(short apiKey) {
        return ApiKeys.hasId(apiKey) && CHANGE_TOPICS.contains(ApiKeys.forId(apiKey));
    }

    /** Seeds for each advertised key at each advertised version. */
    public List<SeedFrame> build(ApiVersionsResponseData advertised) {
        List<SeedFrame> seeds = new ArrayList<>();
        for (ApiVersionsResponseData.ApiVersion range : advertised.apiKeys()) {
            if (!ApiKeys.hasId(range.apiKey())) {
                continue;
            }
            ApiKeys key = ApiKeys.forId(range.apiKey());
            for (short version = range.minVersion(); version <= range.maxVersion(); version++) {
                if (key == ApiKeys.PRODUCE) {
                    addProduceSeeds(seeds, version);
                    continue;
                }
                serialize(key, version, "default", ApiMessageType.fromApiKey(key.id).newRequest())
                        .ifPresent(seeds::add);
                Optional<ApiMessage> body = requests.body(key, version);
                if (body.isPresent()) {
                    serialize(key, version, "filled", body.get()).ifPresent(seeds::add);
                }
            }
        }
        return seeds;
    }

    private void addProduceSeeds(List<SeedFrame> seeds, short version) {
        for (CompressionType codec : CompressionType.values()) {
            add(seeds, version, codec.name, batches(RecordBatch.CURRENT_MAGIC_VALUE, codec, 1, RecordBatch.NO_PRODUCER_ID));
        }
        add(seeds, version, "two-batches", batches(RecordBatch.CURRENT_MAGIC_VALUE, CompressionType.NONE, 2,
                RecordBatch.NO_PRODUCER_ID));
        add(seeds, version, "idempotent", batches(RecordBatch.CURRENT_MAGIC_VALUE, CompressionType.ZSTD, 1, 1_000L));
        add(seeds, version, "magic-1", batches(RecordBatch.MAGIC_VALUE_V1, CompressionType.GZIP, 1,
                RecordBatch.NO_PRODUCER_ID));
    }

    private void add(List<SeedFrame> seeds, short version, String label, ByteBuffer records) {
        ProduceRequestData.TopicProduceDataCollection topics = new ProduceRequestData.TopicProduceDataCollection();
        topics.add(new ProduceRequestData.TopicProduceData()
                .setName(version >= 13 ? "" : logTopic).setTopicId(version >= 13 ? logTopicId : Uuid.ZERO_UUID)
                .setPartitionData(List.of(new ProduceRequestData.PartitionProduceData().setIndex(0)
                        .setRecords(MemoryRecords.readableRecords(records.duplicate())))));
        ProduceRequestData data = new ProduceRequestData().setAcks((short) 1).setTimeoutMs(10_000).setTopicData(topics);
        serialize(ApiKeys.PRODUCE, version, label, data).ifPresent(seed -> {
            byte[] batchBytes = new byte[records.remaining()];
            records.duplicate().get(batchBytes);
            int start = indexOf(seed.bytes(), batchBytes);
            seeds.add(new SeedFrame(seed.apiKey(), seed.apiVersion(), seed.label(), seed.bytes(), start,
                    start + batchBytes.length));
        });
    }

    /** {@code count} batches of a few keyed records each, as a producer would write them. */
    private static ByteBuffer batches(byte magic, CompressionType codec, int count, long producerId) {
        List<ByteBuffer> built = new ArrayList<>();
        long now = System.currentTimeMillis();
        for (int b = 0; b < count; b++) {
            MemoryRecordsBuilder builder = MemoryRecords.builder(ByteBuffer.allocate(1024), magic,
                    Compression.of(codec).build(), TimestampType.CREATE_TIME, 0L, now, producerId, (short) 0,
                    5 * b, false, RecordBatch.NO_PARTITION_LEADER_EPOCH);
            for (int i = 0; i < 5; i++) {
                builder.append(now, ("key-" + i).getBytes(), ("value-" + i + "-" + codec.name).getBytes());
            }
            built.add(builder.build().buffer());
        }
        ByteBuffer out = ByteBuffer.allocate(built.stream().mapToInt(ByteBuffer::remaining).sum());
        built.forEach(out::put);
        return out.flip();
    }

    private static Optional<SeedFrame> serialize(ApiKeys key, short version, String label, ApiMessage body) {
        RequestHeader header = new RequestHeader(key, version, CLIENT_ID, 0);
        try {
            ByteBuffer frame = RequestUtils.serialize(header.data(), header.headerVersion(), body, version);
            byte[] bytes = new byte[frame.remaining()];
            frame.get(bytes);
            return Optional.of(new SeedFrame(key.id, version, key.name + " v" + version + " " + label, bytes, -1, -1));
        } catch (UnsupportedVersionException e) {
            // A field this version lacks: the default body covers the version.
            return Optional.empty();
        }
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new IllegalStateException("record batches not found in their produce frame");
    }
}
