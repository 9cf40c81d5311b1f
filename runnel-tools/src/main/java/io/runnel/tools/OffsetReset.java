package io.runnel.tools;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.TopicPartition;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.function.Function;

/** {@code --reset-offsets} of kafka-consumer-groups.sh: computes the new offsets, prints them, applies them on --execute. */
final class OffsetReset {
    private static final DateTimeFormatter DATE_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS[XXX][X]");

    /** The reset flags: which partitions, to where, and whether to apply. */
    static final class Options {
        @Option(names = "--topic", paramLabel = "TOPIC[:P,P]", description = "A topic, optionally some of its partitions (repeatable).")
        List<String> topics = new ArrayList<>();
        @Option(names = "--all-topics", description = "Every topic the group has committed offsets for.")
        boolean allTopics;

        @ArgGroup(exclusive = true)
        Scenario scenario;

        @Option(names = "--dry-run", description = "Print the new offsets without applying them.")
        boolean dryRun;
        @Option(names = "--execute", description = "Apply the new offsets.")
        boolean execute;

        void check(Function<String, ParameterException> usage) {
            if (scenario == null) {
                throw usage.apply("One of the reset scenarios must be given: --to-datetime, --by-duration, --to-earliest, "
                        + "--to-latest, --shift-by, --from-file, --to-current, --to-offset");
            }
            if (scenario.fromFile == null && topics.isEmpty() == !allTopics) {
                throw usage.apply("One of the reset scopes must be given: --all-topics or --topic");
            }
            if (dryRun && execute) {
                throw usage.apply("Option [dry-run] can't be used with option [execute]");
            }
        }

        boolean isScenarioOrModeSet() {
            return scenario != null || allTopics || dryRun || execute;
        }
    }

    static final class Scenario {
        @Option(names = "--to-earliest", required = true, description = "To the earliest offset.")
        boolean toEarliest;
        @Option(names = "--to-latest", required = true, description = "To the latest offset.")
        boolean toLatest;
        @Option(names = "--to-current", required = true, description = "To the committed offset.")
        boolean toCurrent;
        @Option(names = "--to-offset", required = true, paramLabel = "N", description = "To offset N.")
        Long toOffset;
        @Option(names = "--shift-by", required = true, paramLabel = "N", description = "Move the committed offset by N (may be negative).")
        Long shiftBy;
        @Option(names = "--to-datetime", required = true, paramLabel = "YYYY-MM-DDTHH:mm:SS.sss",
                description = "To the first offset at or after that time (local time unless a zone is given).")
        String toDatetime;
        @Option(names = "--by-duration", required = true, paramLabel = "PnDTnHnMnS", description = "To the first offset at or after now minus the duration.")
        String byDuration;
        @Option(names = "--from-file", required = true, paramLabel = "FILE", description = "To the offsets of a CSV file: topic,partition,offset.")
        Path fromFile;
    }

    private final Admin admin;
    private final PrintWriter out;
    private final Options options;

    OffsetReset(Admin admin, PrintWriter out, Options options) {
        this.admin = admin;
        this.out = out;
        this.options = options;
    }

    void run(String group) throws InterruptedException, ExecutionException, IOException {
        ConsumerGroupDescription description = admin.describeConsumerGroups(List.of(group)).all().get().get(group);
        GroupState state = description.groupState();
        if (state != GroupState.EMPTY && state != GroupState.DEAD) {
            throw new IllegalStateException("Assignments can only be reset if the group '" + group
                    + "' is inactive, but the current state is " + state + ".");
        }
        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                .partitionsToOffsetAndMetadata().get();
        Map<TopicPartition, Long> fromFile = options.scenario.fromFile == null ? null : readFile(options.scenario.fromFile);
        Map<TopicPartition, Long> newOffsets = newOffsets(partitions(committed, fromFile), committed, fromFile);
        Table table = new Table("GROUP", "TOPIC", "PARTITION", "NEW-OFFSET");
        newOffsets.forEach((tp, offset) -> table.row(group, tp.topic(), tp.partition(), offset));
        if (!options.dryRun && !options.execute) {
            out.println("WARN: No action will be performed as the --execute option is missing. "
                    + "You should add the --dry-run option explicitly if you are scripting this command.");
        }
        if (options.execute) {
            Map<TopicPartition, OffsetAndMetadata> commits = new HashMap<>();
            newOffsets.forEach((tp, offset) -> commits.put(tp, new OffsetAndMetadata(offset)));
            admin.alterConsumerGroupOffsets(group, commits).all().get();
        }
        table.print(out);
    }

    private Collection<TopicPartition> partitions(Map<TopicPartition, OffsetAndMetadata> committed,
                                                  Map<TopicPartition, Long> fromFile)
            throws InterruptedException, ExecutionException {
        if (fromFile != null) {
            return fromFile.keySet();
        }
        if (options.allTopics) {
            return committed.keySet();
        }
        Set<TopicPartition> result = new LinkedHashSet<>();
        for (String topic : options.topics) {
            result.addAll(ConsumerGroupsCommand.partitionsOf(admin, topic));
        }
        return result;
    }

    private Map<TopicPartition, Long> newOffsets(Collection<TopicPartition> partitions,
                                                 Map<TopicPartition, OffsetAndMetadata> committed,
                                                 Map<TopicPartition, Long> fromFile)
            throws InterruptedException, ExecutionException {
        Map<TopicPartition, Long> earliest = lookup(partitions, OffsetSpec.earliest());
        Map<TopicPartition, Long> latest = lookup(partitions, OffsetSpec.latest());
        Scenario s = options.scenario;
        Map<TopicPartition, Long> byTime = null;
        if (s.toDatetime != null || s.byDuration != null) {
            long timestamp = s.toDatetime != null ? parseDateTime(s.toDatetime)
                    : System.currentTimeMillis() - parseDuration(s.byDuration).toMillis();
            byTime = lookup(partitions, OffsetSpec.forTimestamp(timestamp));
        }
        Map<TopicPartition, Long> result = new TreeMap<>((a, b) -> a.topic().equals(b.topic())
                ? Integer.compare(a.partition(), b.partition()) : a.topic().compareTo(b.topic()));
        for (TopicPartition tp : partitions) {
            OffsetAndMetadata current = committed.get(tp);
            long target;
            if (s.toEarliest) {
                target = earliest.get(tp);
            } else if (s.toLatest) {
                target = latest.get(tp);
            } else if (s.toCurrent) {
                target = current != null ? current.offset() : latest.get(tp);
            } else if (s.toOffset != null) {
                target = s.toOffset;
            } else if (s.shiftBy != null) {
                if (current == null) {
                    throw new IllegalArgumentException("Cannot shift offset for partition " + tp
                            + " since there is no current committed offset");
                }
                target = current.offset() + s.shiftBy;
            } else if (byTime != null) {
                long found = byTime.get(tp);
                target = found < 0 ? latest.get(tp) : found;
            } else {
                target = fromFile.get(tp);
            }
            result.put(tp, clamp(tp, target, earliest.get(tp), latest.get(tp)));
        }
        return result;
    }

    private long clamp(TopicPartition tp, long offset, long earliest, long latest) {
        if (offset < earliest) {
            out.println("New offset (" + offset + ") is lower than earliest offset for topic partition " + tp
                    + ". Value will be set to " + earliest);
            return earliest;
        }
        if (offset > latest) {
            out.println("New offset (" + offset + ") is higher than latest offset for topic partition " + tp
                    + ". Value will be set to " + latest);
            return latest;
        }
        return offset;
    }

    private Map<TopicPartition, Long> lookup(Collection<TopicPartition> partitions, OffsetSpec spec)
            throws InterruptedException, ExecutionException {
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        partitions.forEach(tp -> request.put(tp, spec));
        Map<TopicPartition, ListOffsetsResultInfo> infos = admin.listOffsets(request).all().get();
        Map<TopicPartition, Long> result = new HashMap<>();
        infos.forEach((tp, info) -> result.put(tp, info.offset()));
        return result;
    }

    /** Kafka's format: yyyy-MM-ddTHH:mm:ss.SSS, with an optional zone (Z, +hh:mm), local time without. */
    static long parseDateTime(String value) {
        try {
            return OffsetDateTime.parse(value, DATE_TIME).toInstant().toEpochMilli();
        } catch (DateTimeParseException noZone) {
            try {
                return LocalDateTime.parse(value, DATE_TIME).atZone(ZoneId.systemDefault()).toInstant().toEpochMilli();
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("Invalid --to-datetime '" + value
                        + "': expected yyyy-MM-ddTHH:mm:ss.SSS with an optional zone");
            }
        }
    }

    static Duration parseDuration(String value) {
        try {
            return Duration.parse(value);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("Invalid --by-duration '" + value + "': expected PnDTnHnMnS");
        }
    }

    /** Lines {@code topic,partition,offset} (Kafka's --export format; a leading group column is ignored). */
    private static Map<TopicPartition, Long> readFile(Path file) throws IOException {
        Map<TopicPartition, Long> result = new HashMap<>();
        for (String line : Files.readAllLines(file)) {
            if (line.isBlank()) {
                continue;
            }
            String[] cells = line.trim().split(",");
            int first = cells.length == 4 ? 1 : 0;
            if (cells.length - first != 3) {
                throw new IllegalArgumentException("Invalid line in " + file + ": '" + line + "': expected topic,partition,offset");
            }
            try {
                result.put(new TopicPartition(cells[first], Integer.parseInt(cells[first + 1].trim())),
                        Long.parseLong(cells[first + 2].trim()));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("Invalid line in " + file + ": '" + line + "': expected topic,partition,offset");
            }
        }
        return result;
    }
}
