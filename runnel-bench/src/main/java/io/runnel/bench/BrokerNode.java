package io.runnel.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.common.Uuid;

/**
 * One broker JVM of a {@link BrokerCluster} (KRaft, broker and controller roles), with its server.properties, data
 * and output under its own directory.
 */
final class BrokerNode {
    private static final Duration FORMAT_TIMEOUT = Duration.ofSeconds(60);
    private static final String DATA_DIR = "data";
    private static final String LOG = "broker.log";

    final int id;
    private final Path dir;
    private final Process process;

    private BrokerNode(int id, Path dir, Process process) {
        this.id = id;
        this.dir = dir;
        this.process = process;
    }

    /** Formats the node's storage for {@code clusterId}, then starts it; {@code properties} is its configuration. */
    static BrokerNode start(BrokerKind kind, String classpath, int id, Path dir, Uuid clusterId,
            Properties properties) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        Path file = dir.resolve("server.properties");
        properties.setProperty("log.dirs", dir.resolve(DATA_DIR).toString());
        try (var out = Files.newBufferedWriter(file)) {
            properties.store(out, "runnel-bench node " + id);
        }
        List<String> format = new ArrayList<>(kind.storageToolArgs);
        format.addAll(List.of("format", "-t", clusterId.toString(), "-c", file.toString()));
        JavaProcess.run(List.of(), classpath, kind.storageToolClass, format, FORMAT_TIMEOUT);
        List<String> args = new ArrayList<>(kind.serverArgs);
        args.add(file.toString());
        return new BrokerNode(id, dir,
                JavaProcess.start(JavaProcess.BROKER_JVM, classpath, kind.mainClass, args, dir.resolve(LOG)));
    }

    long pid() {
        return process.pid();
    }

    Process process() {
        return process;
    }

    /** The directory of a partition's log files: {@code <topic>-<partition>} under log.dirs on both brokers. */
    Path partitionDir(String topic, int partition) {
        return dir.resolve(DATA_DIR).resolve(topic + "-" + partition);
    }

    /** The last lines the node printed, to explain a failed start. */
    String logTail() throws IOException {
        return "node " + id + ":\n" + JavaProcess.tail(Files.readAllLines(dir.resolve(LOG)));
    }
}
