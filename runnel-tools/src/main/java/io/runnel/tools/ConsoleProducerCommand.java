package io.runnel.tools;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;

/** {@code runnel console-producer}: kafka-console-producer.sh, one record per line of stdin. */
@Command(name = "console-producer", mixinStandardHelpOptions = true,
        description = "Send each line of standard input to a topic as one record.")
final class ConsoleProducerCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = {"--bootstrap-server", "--broker-list"}, required = true, paramLabel = "SERVER",
            description = "host:port of a broker.")
    String bootstrapServer;

    @Option(names = "--topic", required = true, description = "The topic to produce to.")
    String topic;

    @Option(names = "--property", paramLabel = "name=value",
            description = "Line parsing: parse.key=true, key.separator=<sep> (default tab), ignore.error=true.")
    List<String> properties = new ArrayList<>();

    @Option(names = "--producer-property", paramLabel = "name=value", description = "A producer setting (repeatable).")
    List<String> producerProperties = new ArrayList<>();

    @Option(names = "--producer.config", paramLabel = "FILE", description = "Producer properties file.")
    Path producerConfig;

    @Option(names = "--compression-codec", arity = "0..1", fallbackValue = "gzip", paramLabel = "CODEC",
            description = "none, gzip (when given without a value), snappy, lz4 or zstd.")
    String compressionCodec;

    @Option(names = "--sync", description = "Send each record synchronously.")
    boolean sync;

    @Option(names = "--request-required-acks", paramLabel = "ACKS", description = "acks of the requests (default -1).")
    String acks = "-1";

    @Option(names = "--timeout", paramLabel = "MS", description = "linger.ms: how long a batch waits for more records (default 1000).")
    long lingerMs = 1000;

    @Override
    public Integer call() throws Exception {
        Properties props = ClientProperties.load(producerConfig, List.of(), "--producer.config", spec);
        props.putIfAbsent(ProducerConfig.ACKS_CONFIG, acks);
        props.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, Long.toString(lingerMs));
        props.putAll(ClientProperties.parse(producerProperties, "--producer-property", spec));
        props.setProperty(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServer);
        if (compressionCodec != null) {
            props.setProperty(ProducerConfig.COMPRESSION_TYPE_CONFIG, compressionCodec);
        }
        LineParser parser = new LineParser(ClientProperties.parse(properties, "--property", spec));
        AtomicInteger failures = new AtomicInteger();
        try (Producer<byte[], byte[]> producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
             BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
            String line;
            int lineNumber = 0;
            while ((line = in.readLine()) != null) {
                lineNumber++;
                ProducerRecord<byte[], byte[]> record = parser.parse(topic, line, lineNumber);
                if (sync) {
                    producer.send(record).get();
                } else {
                    producer.send(record, (metadata, error) -> {
                        if (error != null) {
                            failures.incrementAndGet();
                            spec.commandLine().getErr().println("Error when sending message to topic " + topic
                                    + ": " + error.getMessage());
                        }
                    });
                }
            }
            producer.flush();
        }
        return failures.get() == 0 ? 0 : 1;
    }
}
