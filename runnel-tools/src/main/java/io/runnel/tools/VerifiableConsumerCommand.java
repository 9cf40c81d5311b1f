package io.runnel.tools;

import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.GroupProtocol;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;

/**
 * {@code runnel verifiable-consumer}: kafka-verifiable-consumer.sh. A group member that prints one JSON event per
 * line: startup_complete, partitions_assigned / partitions_revoked on every rebalance, records_consumed per poll
 * (record_data per record with --verbose), offsets_committed per commit (without auto-commit), shutdown_complete.
 */
@Command(name = "verifiable-consumer", mixinStandardHelpOptions = true,
        description = "Consume a topic as a group member and print its events as JSON.")
final class VerifiableConsumerCommand implements Callable<Integer>, ConsumerRebalanceListener {
    @Spec
    CommandSpec spec;

    @Option(names = "--bootstrap-server", required = true, paramLabel = "HOST1:PORT1[,HOST2:PORT2[...]]",
            description = "The server(s) to connect to.")
    String bootstrapServer;

    @Option(names = "--topic", required = true, description = "Consume messages from this topic.")
    String topic;

    @Option(names = "--group-id", required = true, paramLabel = "GROUP-ID", description = "The consumer group.")
    String groupId;

    @Option(names = "--group-protocol", defaultValue = "classic", paramLabel = "GROUP-PROTOCOL",
            description = "classic (default) or consumer.")
    String groupProtocol;

    @Option(names = "--group-remote-assignor", paramLabel = "GROUP-REMOTE-ASSIGNOR",
            description = "The server-side assignor (uniform or range); only with --group-protocol consumer.")
    String groupRemoteAssignor;

    @Option(names = "--group-instance-id", paramLabel = "GROUP-INSTANCE-ID", description = "A static member id.")
    String groupInstanceId;

    @Option(names = "--max-messages", defaultValue = "-1", paramLabel = "MAX-MESSAGES",
            description = "Consume this many messages; -1 (default) consumes until the process is stopped.")
    long maxMessages;

    @Option(names = "--session-timeout", paramLabel = "TIMEOUT-MS",
            description = "session.timeout.ms (default 30000); not for --group-protocol consumer.")
    Integer sessionTimeout;

    @Option(names = "--verbose", description = "Print a record_data event for every record.")
    boolean verbose;

    @Option(names = "--enable-autocommit", description = "Let the consumer commit offsets itself.")
    boolean autoCommit;

    @Option(names = "--close-timeout", defaultValue = "30000", paramLabel = "CLOSE-TIMEOUT-MS",
            description = "How long closing the consumer may take (default 30000).")
    long closeTimeoutMs;

    @Option(names = "--reset-policy", defaultValue = "earliest", paramLabel = "RESET-POLICY",
            description = "earliest (default), latest or none.")
    String resetPolicy;

    @Option(names = "--assignment-strategy", defaultValue = "org.apache.kafka.clients.consumer.RangeAssignor",
            paramLabel = "ASSIGNMENT-STRATEGY", description = "The client-side assignor; only with --group-protocol classic.")
    String assignmentStrategy;

    @Option(names = "--consumer.config", paramLabel = "CONFIG-FILE",
            description = "(Deprecated) Consumer properties file; use --command-config.")
    Path consumerConfig;

    @Option(names = "--command-config", paramLabel = "CONFIG-FILE",
            description = "Consumer properties file (the command line's settings override it).")
    Path commandConfig;

    private PrintWriter out;
    private long consumed;

    @Override
    public Integer call() throws Exception {
        out = spec.commandLine().getOut();
        KafkaConsumer<String, String> consumer = new KafkaConsumer<>(consumerProperties(),
                new StringDeserializer(), new StringDeserializer());
        // SIGTERM or Ctrl-C: interrupt the poll, then close and report as at the end of --max-messages
        TerminationSignals.onTermination(() -> {
            print(JsonLine.event("shutdown_requested"));
            consumer.wakeup();
        });
        try {
            print(JsonLine.event("startup_complete"));
            consumer.subscribe(List.of(topic), this);
            while (!finished()) {
                Map<TopicPartition, OffsetAndMetadata> offsets = onRecords(consumer.poll(Duration.ofMillis(Long.MAX_VALUE)));
                if (!autoCommit) {
                    commit(consumer, offsets);
                }
            }
        } catch (WakeupException shuttingDown) {
            // stopped by a signal
        } finally {
            consumer.close(CloseOptions.timeout(Duration.ofMillis(closeTimeoutMs)));
            print(JsonLine.event("shutdown_complete"));
        }
        return 0;
    }

    private Properties consumerProperties() throws Exception {
        boolean consumerProtocol;
        try {
            consumerProtocol = GroupProtocol.of(groupProtocol) == GroupProtocol.CONSUMER;
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(),
                    "Invalid value '" + groupProtocol + "' for --group-protocol: classic or consumer");
        }
        if (consumerProtocol && sessionTimeout != null) {
            throw new ParameterException(spec.commandLine(),
                    "--session-timeout is not supported with --group-protocol consumer: the broker sets the session timeout");
        }
        Path file = ClientProperties.renamed(commandConfig, "--command-config", consumerConfig, "--consumer.config", spec);
        Properties props = ClientProperties.load(file, List.of(), "--command-config", spec);
        if (consumerProtocol) {
            props.setProperty(ConsumerConfig.GROUP_PROTOCOL_CONFIG, GroupProtocol.CONSUMER.name().toLowerCase(Locale.ROOT));
            if (groupRemoteAssignor != null) {
                props.setProperty(ConsumerConfig.GROUP_REMOTE_ASSIGNOR_CONFIG, groupRemoteAssignor);
            }
        } else {
            props.setProperty(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, assignmentStrategy);
            props.setProperty(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG,
                    Integer.toString(sessionTimeout != null ? sessionTimeout : 30_000));
        }
        props.setProperty(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        if (groupInstanceId != null) {
            props.setProperty(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, groupInstanceId);
        }
        props.setProperty(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServer);
        props.setProperty(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, Boolean.toString(autoCommit));
        props.setProperty(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, resetPolicy);
        return props;
    }

    private boolean finished() {
        return maxMessages >= 0 && consumed >= maxMessages;
    }

    /** Reports the records of one poll, up to --max-messages, and returns the offsets to commit for them. */
    private Map<TopicPartition, OffsetAndMetadata> onRecords(ConsumerRecords<String, String> records) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        List<JsonLine> summaries = new ArrayList<>();
        for (TopicPartition tp : records.partitions()) {
            List<ConsumerRecord<String, String>> partitionRecords = records.records(tp);
            if (maxMessages >= 0 && consumed + partitionRecords.size() > maxMessages) {
                partitionRecords = partitionRecords.subList(0, (int) (maxMessages - consumed));
            }
            if (partitionRecords.isEmpty()) {
                continue;
            }
            long minOffset = partitionRecords.get(0).offset();
            long maxOffset = partitionRecords.get(partitionRecords.size() - 1).offset();
            offsets.put(tp, new OffsetAndMetadata(maxOffset + 1));
            summaries.add(partition(tp).put("count", partitionRecords.size())
                    .put("minOffset", minOffset).put("maxOffset", maxOffset));
            if (verbose) {
                for (ConsumerRecord<String, String> record : partitionRecords) {
                    print(JsonLine.event("record_data").put("key", record.key()).put("value", record.value())
                            .put("topic", record.topic()).put("partition", record.partition())
                            .put("offset", record.offset()));
                }
            }
            consumed += partitionRecords.size();
            if (finished()) {
                break;
            }
        }
        print(JsonLine.event("records_consumed").put("count", records.count()).put("partitions", summaries));
        return offsets;
    }

    private void commit(KafkaConsumer<String, String> consumer, Map<TopicPartition, OffsetAndMetadata> offsets) {
        String error = null;
        try {
            consumer.commitSync(offsets);
        } catch (WakeupException e) {
            // stopping: still commit what was reported as consumed, then stop
            commit(consumer, offsets);
            throw e;
        } catch (RuntimeException e) {
            error = e.getMessage();
        }
        List<JsonLine> committed = new ArrayList<>();
        offsets.forEach((tp, offset) -> committed.add(partition(tp).put("offset", offset.offset())));
        JsonLine event = JsonLine.event("offsets_committed").put("offsets", committed);
        if (error != null) {
            event.put("error", error);
        }
        print(event.put("success", error == null));
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
        print(JsonLine.event("partitions_assigned").put("partitions", partitionList(partitions)));
    }

    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
        print(JsonLine.event("partitions_revoked").put("partitions", partitionList(partitions)));
    }

    private static List<JsonLine> partitionList(Collection<TopicPartition> partitions) {
        return partitions.stream().map(VerifiableConsumerCommand::partition).toList();
    }

    private static JsonLine partition(TopicPartition tp) {
        return new JsonLine().put("topic", tp.topic()).put("partition", tp.partition());
    }

    private void print(JsonLine line) {
        synchronized (out) {
            out.println(line);
            out.flush();
        }
    }
}
