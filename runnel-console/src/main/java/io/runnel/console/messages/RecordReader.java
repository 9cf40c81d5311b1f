package io.runnel.console.messages;

import io.runnel.console.ConsoleClients;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;

/**
 * Reads what a {@link Browse} asks for with a consumer of no group: each partition from its starting offset up to
 * the end it had when the read began, so a busy topic cannot keep a page waiting; at most {@link #MAX_SCANNED}
 * records are looked at for one page, and reading stops at the deadline.
 */
final class RecordReader {
    static final int MAX_SCANNED = 100_000;
    private static final Duration DEADLINE = Duration.ofSeconds(5);
    private static final Duration POLL = Duration.ofMillis(200);

    /**
     * The records shown, in timestamp order, how many were read to find them, and each partition's end offset when
     * the read began: where a live tail goes on from.
     */
    record Page(List<ConsumerRecord<byte[], byte[]>> records, int scanned, boolean complete,
                Map<TopicPartition, Long> ends) {
    }

    private final ConsoleClients clients;

    RecordReader(ConsoleClients clients) {
        this.clients = clients;
    }

    Page read(List<TopicPartition> partitions, Browse browse) {
        try (KafkaConsumer<byte[], byte[]> consumer = clients.consumer()) {
            Map<TopicPartition, Long> begin = consumer.beginningOffsets(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            return scan(consumer, partitions, startOffsets(consumer, partitions, browse, begin, end), end, browse);
        }
    }

    /** The records at or after {@code positions} (clamped to each partition's offsets), the newest kept. */
    Page readAfter(Map<TopicPartition, Long> positions, Browse browse) {
        List<TopicPartition> partitions = List.copyOf(positions.keySet());
        try (KafkaConsumer<byte[], byte[]> consumer = clients.consumer()) {
            Map<TopicPartition, Long> begin = consumer.beginningOffsets(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            Map<TopicPartition, Long> start = new HashMap<>();
            partitions.forEach(p -> start.put(p, Math.min(end.get(p), Math.max(begin.get(p), positions.get(p)))));
            return scan(consumer, partitions, start, end, browse);
        }
    }

    private static Page scan(KafkaConsumer<byte[], byte[]> consumer, List<TopicPartition> partitions,
                             Map<TopicPartition, Long> start, Map<TopicPartition, Long> end, Browse browse) {
        List<TopicPartition> reading = partitions.stream().filter(p -> start.get(p) < end.get(p)).toList();
        List<ConsumerRecord<byte[], byte[]>> found = new ArrayList<>();
        int scanned = 0;
        boolean complete = true;
        if (!reading.isEmpty()) {
            consumer.assign(reading);
            reading.forEach(p -> consumer.seek(p, start.get(p)));
            List<TopicPartition> open = new ArrayList<>(reading);
            long deadline = System.nanoTime() + DEADLINE.toNanos();
            boolean enough = false;
            while (!open.isEmpty() && !enough) {
                if (System.nanoTime() > deadline || scanned >= MAX_SCANNED) {
                    complete = false;
                    break;
                }
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) {
                    TopicPartition p = new TopicPartition(record.topic(), record.partition());
                    if (record.offset() >= end.get(p)) {
                        continue;
                    }
                    scanned++;
                    if (browse.matches(record)) {
                        found.add(record);
                    }
                }
                for (TopicPartition p : List.copyOf(open)) {
                    if (consumer.position(p) >= end.get(p)) {
                        open.remove(p);
                        consumer.pause(List.of(p));
                    }
                }
                // From the end every partition is read to its end, then the newest kept.
                enough = browse.from() != Browse.From.END && found.size() >= browse.limit();
            }
        }
        found.sort(Comparator.<ConsumerRecord<byte[], byte[]>>comparingLong(ConsumerRecord::timestamp)
                .thenComparingInt(ConsumerRecord::partition).thenComparingLong(ConsumerRecord::offset));
        List<ConsumerRecord<byte[], byte[]>> shown = browse.from() == Browse.From.END
                ? found.subList(Math.max(0, found.size() - browse.limit()), found.size())
                : found.subList(0, Math.min(found.size(), browse.limit()));
        return new Page(List.copyOf(shown), scanned, complete, Map.copyOf(end));
    }

    private static Map<TopicPartition, Long> startOffsets(KafkaConsumer<byte[], byte[]> consumer,
                                                          List<TopicPartition> partitions, Browse browse,
                                                          Map<TopicPartition, Long> begin,
                                                          Map<TopicPartition, Long> end) {
        Map<TopicPartition, Long> start = new HashMap<>();
        Map<TopicPartition, OffsetAndTimestamp> byTime = Map.of();
        if (browse.from() == Browse.From.TIMESTAMP) {
            Map<TopicPartition, Long> asked = new HashMap<>();
            partitions.forEach(p -> asked.put(p, browse.timestamp()));
            byTime = consumer.offsetsForTimes(asked);
        }
        for (TopicPartition p : partitions) {
            long first = begin.get(p);
            long last = end.get(p);
            long offset = switch (browse.from()) {
                case START -> first;
                // A filter looks further back than the records it shows.
                case END -> last - (browse.filtered() ? MAX_SCANNED / partitions.size() : browse.limit());
                case OFFSET -> browse.offset();
                case TIMESTAMP -> byTime.get(p) == null ? last : byTime.get(p).offset();
            };
            start.put(p, Math.min(last, Math.max(first, offset)));
        }
        return start;
    }
}
