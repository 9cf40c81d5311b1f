package io.runnel.tools;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/** {@code runnel console-consumer}: kafka-console-consumer.sh, records of a topic to standard output. */
@Command(name = "console-consumer", mixinStandardHelpOptions = true, description = "Print the records of a topic.")
final class ConsoleConsumerCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--bootstrap-server", required = true, paramLabel = "SERVER", description = "host:port of a broker.")
    String bootstrapServer;

    @Option(names = "--topic", required = true, description = "The topic to consume.")
    String topic;

    @Option(names = "--from-beginning", description = "Start at the earliest record rather than the latest.")
    boolean fromBeginning;

    @Option(names = "--partition", description = "Consume only this partition.")
    Integer partition;

    @Option(names = "--offset", paramLabel = "earliest|latest|N", description = "With --partition: where to start (default latest).")
    String offset;

    @Option(names = "--max-messages", paramLabel = "N", description = "Exit after N records.")
    Long maxMessages;

    @Option(names = "--timeout-ms", paramLabel = "MS", description = "Exit when no record arrives for this long.")
    Long timeoutMs;

    @Option(names = "--property", paramLabel = "name=value",
            description = "Output: print.key, print.timestamp, print.partition, print.offset, print.headers, "
                    + "print.value, key.separator, line.separator, headers.separator, null.literal.")
    List<String> properties = new ArrayList<>();

    @Option(names = "--consumer-property", paramLabel = "name=value", description = "A consumer setting (repeatable).")
    List<String> consumerProperties = new ArrayList<>();

    @Option(names = "--consumer.config", paramLabel = "FILE", description = "Consumer properties file.")
    Path consumerConfig;

    @Option(names = "--isolation-level", paramLabel = "LEVEL", description = "read_committed or read_uncommitted (default).")
    String isolationLevel;

    @Option(names = "--group", description = "Consume as a member of this group (subscribe) instead of assigning partitions.")
    String group;

    private long processed;

    @Override
    public Integer call() throws Exception {
        checkArguments();
        RecordPrinter printer = new RecordPrinter(ClientProperties.parse(properties, "--property", spec));
        Consumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerProperties(),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
        CountDownLatch finished = new CountDownLatch(1);
        // Ctrl-C: interrupt the poll, and let the loop report and close the consumer before the JVM exits.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (finished.getCount() > 0) {
                consumer.wakeup();
                awaitQuietly(finished);
            }
        }, "console-consumer-shutdown"));
        try {
            start(consumer);
            consume(consumer, printer);
        } catch (WakeupException shuttingDown) {
            // interrupted by a signal: report as on a normal end
        } finally {
            consumer.close();
            spec.commandLine().getErr().println("Processed a total of " + processed + " messages");
            spec.commandLine().getErr().flush();
            finished.countDown();
        }
        return 0;
    }

    private void checkArguments() {
        if (offset != null && partition == null) {
            throw new ParameterException(spec.commandLine(), "The partition is required when offset is specified.");
        }
        if (offset != null && fromBeginning) {
            throw new ParameterException(spec.commandLine(), "Options --from-beginning and --offset cannot be used together.");
        }
        if (group != null && partition != null) {
            throw new ParameterException(spec.commandLine(), "Options --group and --partition cannot be used together.");
        }
        if (offset != null && !offset.equalsIgnoreCase("earliest") && !offset.equalsIgnoreCase("latest")) {
            try {
                if (Long.parseLong(offset) < 0) {
                    throw new NumberFormatException();
                }
            } catch (NumberFormatException e) {
                throw new ParameterException(spec.commandLine(),
                        "The provided offset value '" + offset + "' is incorrect. Valid values are 'earliest', 'latest', or a non-negative long.");
            }
        }
    }

    private Properties consumerProperties() throws IOException {
        Properties props = ClientProperties.load(consumerConfig, consumerProperties, "--consumer-property", spec);
        props.setProperty(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServer);
        if (isolationLevel != null) {
            props.setProperty(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolationLevel.toLowerCase(Locale.ROOT));
        }
        if (group != null) {
            props.setProperty(ConsumerConfig.GROUP_ID_CONFIG, group);
            props.putIfAbsent(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, fromBeginning ? "earliest" : "latest");
        } else {
            props.remove(ConsumerConfig.GROUP_ID_CONFIG);
            props.setProperty(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        }
        return props;
    }

    private void start(Consumer<byte[], byte[]> consumer) {
        if (group != null) {
            consumer.subscribe(List.of(topic));
            return;
        }
        List<TopicPartition> partitions;
        if (partition != null) {
            partitions = List.of(new TopicPartition(topic, partition));
        } else {
            List<PartitionInfo> infos = consumer.partitionsFor(topic);
            if (infos == null || infos.isEmpty()) {
                throw new IllegalArgumentException("Topic '" + topic + "' does not exist");
            }
            partitions = infos.stream().map(p -> new TopicPartition(topic, p.partition())).collect(Collectors.toList());
        }
        consumer.assign(partitions);
        if (fromBeginning || "earliest".equalsIgnoreCase(offset)) {
            consumer.seekToBeginning(partitions);
        } else if (offset == null || "latest".equalsIgnoreCase(offset)) {
            consumer.seekToEnd(partitions);
        } else {
            consumer.seek(partitions.get(0), Long.parseLong(offset));
        }
    }

    private void consume(Consumer<byte[], byte[]> consumer, RecordPrinter printer) throws IOException {
        OutputStream out = new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 64 * 1024);
        Duration pollTimeout = Duration.ofMillis(timeoutMs != null ? timeoutMs : Long.MAX_VALUE);
        while (maxMessages == null || processed < maxMessages) {
            ConsumerRecords<byte[], byte[]> records = consumer.poll(pollTimeout);
            if (records.isEmpty() && timeoutMs != null) {
                spec.commandLine().getErr().println("No record arrived for " + timeoutMs + " ms: exiting.");
                break;
            }
            for (ConsumerRecord<byte[], byte[]> record : records) {
                printer.print(record, out);
                processed++;
                if (maxMessages != null && processed >= maxMessages) {
                    break;
                }
            }
            out.flush();
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
