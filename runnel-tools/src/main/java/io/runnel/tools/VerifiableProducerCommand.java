package io.runnel.tools;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code runnel verifiable-producer}: kafka-verifiable-producer.sh. Produces increasing integers and prints one JSON
 * event per line (startup_complete, producer_send_success / producer_send_error for every record,
 * shutdown_complete, tool_data) in the shape Kafka's system tests parse, so that which records were acknowledged,
 * at which offsets, is visible from outside.
 */
@Command(name = "verifiable-producer", mixinStandardHelpOptions = true,
        description = "Produce increasing integers to a topic and print JSON metadata on every send.")
final class VerifiableProducerCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--bootstrap-server", required = true, paramLabel = "HOST1:PORT1[,HOST2:PORT2[...]]",
            description = "The server(s) to connect to.")
    String bootstrapServer;

    @Option(names = "--topic", required = true, description = "Produce messages to this topic.")
    String topic;

    @Option(names = "--max-messages", defaultValue = "-1", paramLabel = "MAX-MESSAGES",
            description = "Produce this many messages; -1 (default) produces until the process is stopped.")
    long maxMessages;

    @Option(names = "--throughput", defaultValue = "-1", paramLabel = "THROUGHPUT",
            description = "If >= 0, throttle to about THROUGHPUT messages/sec (default -1: no limit).")
    long throughput;

    @Option(names = "--acks", defaultValue = "-1", paramLabel = "ACKS", description = "0, 1 or -1 (default -1).")
    int acks;

    @Option(names = "--producer.config", paramLabel = "CONFIG-FILE",
            description = "(Deprecated) Producer properties file; use --command-config.")
    Path producerConfig;

    @Option(names = "--command-config", paramLabel = "CONFIG-FILE",
            description = "Producer properties file (its settings override the command line's).")
    Path commandConfig;

    @Option(names = "--message-create-time", defaultValue = "-1", paramLabel = "CREATE-TIME",
            description = "Give the records create times starting at this many ms since the epoch.")
    long createTime;

    @Option(names = "--value-prefix", paramLabel = "VALUE-PREFIX",
            description = "Prefix every value with this integer and a dot.")
    Integer valuePrefix;

    @Option(names = "--repeating-keys", paramLabel = "REPEATING-KEYS",
            description = "Key the records 0, 1, ... up to this number (exclusive), then from 0 again.")
    Integer repeatingKeys;

    private final AtomicLong acked = new AtomicLong();
    private volatile boolean stopping;

    @Override
    public Integer call() throws Exception {
        Properties props = producerProperties();
        PrintWriter out = spec.commandLine().getOut();
        // SIGTERM or Ctrl-C: stop sending, then flush, close and report as at the end of --max-messages
        TerminationSignals.onTermination(() -> stopping = true);
        long startMs = System.currentTimeMillis();
        long sent = 0;
        try {
            Producer<String, String> producer = new KafkaProducer<>(props, new StringSerializer(), new StringSerializer());
            try {
                print(out, JsonLine.event("startup_complete"));
                sent = produce(producer, out, startMs);
            } finally {
                producer.close();
                print(out, JsonLine.event("shutdown_complete"));
            }
        } finally {
            double avgThroughput = 1000 * (acked.get() / (double) (System.currentTimeMillis() - startMs));
            print(out, JsonLine.event("tool_data").put("sent", sent).put("acked", acked.get())
                    .put("target_throughput", throughput).put("avg_throughput", avgThroughput));
        }
        return 0;
    }

    private Properties producerProperties() throws Exception {
        if (acks != 0 && acks != 1 && acks != -1) {
            throw new ParameterException(spec.commandLine(), "Invalid value '" + acks + "' for --acks: 0, 1 or -1");
        }
        Properties props = new Properties();
        props.setProperty(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServer);
        props.setProperty(ProducerConfig.ACKS_CONFIG, Integer.toString(acks));
        // every send is reported once, as acknowledged or failed: no retries behind the tool's back
        props.setProperty(ProducerConfig.RETRIES_CONFIG, "0");
        Path file = ClientProperties.renamed(commandConfig, "--command-config", producerConfig, "--producer.config", spec);
        props.putAll(ClientProperties.load(file, List.of(), "--command-config", spec));
        return props;
    }

    private long produce(Producer<String, String> producer, PrintWriter out, long startMs) throws InterruptedException {
        Throttle throttle = new Throttle(throughput);
        long limit = maxMessages < 0 ? Long.MAX_VALUE : maxMessages;
        long sent = 0;
        int nextKey = 0;
        while (sent < limit && !stopping) {
            String key = null;
            if (repeatingKeys != null) {
                key = Integer.toString(nextKey);
                nextKey = (nextKey + 1) % repeatingKeys;
            }
            String value = valuePrefix != null ? valuePrefix + "." + sent : Long.toString(sent);
            send(producer, out, key, value, startMs);
            sent++;
            throttle.awaitTurn(sent, () -> stopping);
        }
        return sent;
    }

    private void send(Producer<String, String> producer, PrintWriter out, String key, String value, long startMs) {
        ProducerRecord<String, String> record = createTime < 0 ? new ProducerRecord<>(topic, key, value)
                // the create time advances with the time elapsed since the start
                : new ProducerRecord<>(topic, null, createTime + System.currentTimeMillis() - startMs, key, value);
        try {
            producer.send(record, (metadata, error) -> {
                if (error == null) {
                    acked.incrementAndGet();
                    print(out, JsonLine.event("producer_send_success").put("key", key).put("value", value)
                            .put("offset", metadata.offset()).put("topic", metadata.topic())
                            .put("partition", metadata.partition()));
                } else {
                    print(out, sendError(key, value, error));
                }
            });
        } catch (RuntimeException e) {
            print(out, sendError(key, value, e));
        }
    }

    private JsonLine sendError(String key, String value, Exception error) {
        return JsonLine.event("producer_send_error").put("topic", topic).put("key", key).put("value", value)
                .put("exception", error.getClass().toString()).put("message", error.getMessage());
    }

    private static void print(PrintWriter out, JsonLine line) {
        synchronized (out) {
            out.println(line);
            out.flush();
        }
    }
}
