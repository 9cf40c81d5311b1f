package io.runnel.it;

import io.runnel.testkit.FreePorts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import javax.management.MBeanServerConnection;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

/**
 * A one-node Runnel started as an operator starts it, {@code RUNNEL_JMX_PORT=<port> bin/runnel server <file>}, in a
 * {@link LauncherInstall} copy, and a remote JMX connection to it. Its ports are picked free; a port taken meanwhile
 * (the listener's or the JMX agent's) makes the JVM exit, and it is started again on new ones.
 */
final class JmxServerProcess implements KafkaEndpoint, AutoCloseable {
    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final int START_ATTEMPTS = 3;

    private final Path install = TestDirs.createTemp("runnel-jmx-");
    private final Path out = install.resolve("server.out");
    private NodeLayout layout;
    private int jmxPort;
    private Process process;
    private JMXConnector connector;

    static JmxServerProcess start() throws IOException {
        JmxServerProcess server = new JmxServerProcess();
        try {
            LauncherInstall.into(server.install);
            server.launch();
            return server;
        } catch (IOException | RuntimeException | Error e) {
            server.close();
            throw e;
        }
    }

    private void launch() throws IOException {
        for (int attempt = 1; ; attempt++) {
            layout = NodeLayout.withFreePorts(1, install.resolve("data"));
            jmxPort = FreePorts.pick();
            Path properties = install.resolve("server.properties");
            Properties props = new Properties();
            props.putAll(layout.brokerProperties(List.of(layout), Map.of()));
            try (Writer w = Files.newBufferedWriter(properties)) {
                props.store(w, "JMX test node");
            }
            ProcessBuilder builder = new ProcessBuilder("bash", install.resolve("bin/runnel").toString(), "server",
                    properties.toString()).redirectErrorStream(true).redirectOutput(out.toFile());
            builder.environment().put("RUNNEL_JMX_PORT", Integer.toString(jmxPort));
            builder.environment().put("RUNNEL_HEAP_OPTS", "-Xmx512m");
            // The RMI stub names the loopback address the test connects to, whatever the host name resolves to.
            builder.environment().put("RUNNEL_JVM_OPTS", "-XX:TieredStopAtLevel=1 -Djava.rmi.server.hostname=127.0.0.1"
                    + " -Drunnel.log.file=" + install.resolve("server.log"));
            builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
            process = builder.start();
            Await.awaitCondition(WAIT, () -> output().contains("Runnel started") || !process.isAlive(),
                    "the server prints 'Runnel started' to " + out);
            if (process.isAlive()) {
                return;
            }
            boolean portTaken = output().contains(FreePorts.IN_USE_MESSAGE) || output().contains("Port already in use");
            if (attempt == START_ATTEMPTS || !portTaken) {
                throw new AssertionError("The server did not start:\n" + output());
            }
            TestDirs.deleteRecursively(install.resolve("data"));
        }
    }

    /** A connection to the server's JMX agent, as JConsole or the Prometheus JMX exporter makes it. */
    MBeanServerConnection jmx() throws IOException {
        if (connector == null) {
            connector = JMXConnectorFactory.connect(
                    new JMXServiceURL("service:jmx:rmi:///jndi/rmi://127.0.0.1:" + jmxPort + "/jmxrmi"));
        }
        return connector.getMBeanServerConnection();
    }

    @Override
    public String bootstrapServers() {
        return "127.0.0.1:" + layout.brokerPort();
    }

    private String output() {
        try {
            return Files.exists(out) ? Files.readString(out, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() throws IOException {
        try {
            if (connector != null) {
                connector.close();
            }
        } finally {
            try {
                if (process != null && process.isAlive()) {
                    process.destroy(); // bin/runnel execs the JVM: SIGTERM reaches the server itself
                    if (!process.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)) {
                        process.destroyForcibly();
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                TestDirs.deleteRecursively(install);
            }
        }
    }
}
