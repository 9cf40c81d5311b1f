package io.runnel.testkit;

import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Runnel for a JUnit 5 test class:
 *
 * <pre>{@code
 * @RegisterExtension
 * static RunnelExtension runnel = RunnelExtension.create();
 * }</pre>
 *
 * {@link #create()} on a static field starts one cluster before the class's first test and closes it after the
 * last; its tests keep apart by naming their topics with {@link #uniqueTopic}. {@link #perTest()} (or
 * {@link #create()} on an instance field) gives every test a fresh cluster of its own.
 */
public final class RunnelExtension implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback,
        AfterEachCallback {
    /** Kafka's limit on a topic name's length. */
    private static final int MAX_TOPIC_NAME = 249;

    private final RunnelCluster.Builder builder;
    private final boolean perTest;
    private final AtomicInteger tests = new AtomicInteger();
    /** The running test's prefix: JUnit runs a test's callbacks and body on one thread, parallel tests on others. */
    private final ThreadLocal<String> topicPrefix = new ThreadLocal<>();
    private volatile RunnelCluster classCluster;
    /** The class whose beforeAll started {@link #classCluster}. */
    private volatile String classOwner;
    private final ThreadLocal<RunnelCluster> testCluster = new ThreadLocal<>();

    private RunnelExtension(RunnelCluster.Builder builder, boolean perTest) {
        this.builder = builder;
        this.perTest = perTest;
    }

    /** One single-node cluster for the test class (registered on a static field). */
    public static RunnelExtension create() {
        return create(RunnelCluster.builder());
    }

    /** One cluster as the builder describes it for the test class (registered on a static field). */
    public static RunnelExtension create(RunnelCluster.Builder cluster) {
        return new RunnelExtension(cluster, false);
    }

    /** A fresh single-node cluster for every test. */
    public static RunnelExtension perTest() {
        return perTest(RunnelCluster.builder());
    }

    /** A fresh cluster as the builder describes it for every test. */
    public static RunnelExtension perTest(RunnelCluster.Builder cluster) {
        return new RunnelExtension(cluster, true);
    }

    /** @Nested classes inherit the extension and share their enclosing class's cluster. */
    @Override
    public void beforeAll(ExtensionContext context) {
        if (!perTest && classCluster == null) {
            classCluster = builder.start();
            classOwner = context.getUniqueId();
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        RunnelCluster cluster = classCluster;
        if (cluster != null && context.getUniqueId().equals(classOwner)) {
            classCluster = null;
            cluster.close();
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        topicPrefix.set(prefix(context.getRequiredTestMethod().getName(), tests.incrementAndGet()));
        if (classCluster == null) {
            testCluster.set(builder.start());
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        topicPrefix.remove();
        RunnelCluster cluster = testCluster.get();
        testCluster.remove();
        if (cluster != null) {
            cluster.close();
        }
    }

    /** The cluster the running test uses. */
    public RunnelCluster cluster() {
        RunnelCluster cluster = testCluster.get();
        if (cluster == null) {
            cluster = classCluster;
        }
        if (cluster == null) {
            throw new IllegalStateException("No Runnel cluster is running: register RunnelExtension with "
                    + "@RegisterExtension and use it from a test, @BeforeEach or (on a static field) @BeforeAll");
        }
        return cluster;
    }

    public String bootstrapServers() {
        return cluster().bootstrapServers();
    }

    /** The cluster's Admin client, closed with the cluster. */
    public Admin admin() {
        return cluster().admin();
    }

    public void createTopic(String name, int partitions) {
        cluster().createTopic(name, partitions);
    }

    public void createTopic(String name, int partitions, int replicationFactor) {
        cluster().createTopic(name, partitions, replicationFactor);
    }

    public String schemaRegistryUrl() {
        return cluster().schemaRegistryUrl();
    }

    /**
     * A topic name of the running test's own: {@code name} behind {@link #topicPrefix()}, so that tests sharing a
     * cluster never read each other's records.
     */
    public String uniqueTopic(String name) {
        String topic = topicPrefix() + name;
        if (topic.length() > MAX_TOPIC_NAME) {
            throw new IllegalArgumentException("Topic name " + topic + " is longer than " + MAX_TOPIC_NAME);
        }
        return topic;
    }

    /** The running test's topic prefix: its method name and a number no other test of this extension has. */
    public String topicPrefix() {
        String prefix = topicPrefix.get();
        if (prefix == null) {
            throw new IllegalStateException("topicPrefix() and uniqueTopic() name a test's topics: call them from a "
                    + "test or @BeforeEach");
        }
        return prefix;
    }

    /** Only the characters Kafka allows in topic names ([a-zA-Z0-9._-]), short enough to leave room for a name. */
    static String prefix(String testName, int number) {
        String legal = testName.replaceAll("[^a-zA-Z0-9._-]", "_");
        return (legal.length() > 100 ? legal.substring(0, 100) : legal) + "-" + number + "-";
    }
}
