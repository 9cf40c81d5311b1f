package io.runnel.it;

import static io.runnel.it.Futures.get;

import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.Node;

/** Admin-client helpers for tests that stop, pause or cut off nodes of a cluster. */
public final class ClusterAdmin {
    /** How long one request waits for a node's answer. */
    private static final int REQUEST_TIMEOUT_MS = 5000;
    /**
     * How long one describe call may take: a call to a stopped node can outlive its request timeout (the client
     * waits on the connection instead), and the caller asks again, elsewhere, sooner than the default 60 s.
     */
    private static final int CALL_TIMEOUT_MS = 6000;

    private ClusterAdmin() {
    }

    /**
     * An Admin client bootstrapped on {@code node} that abandons a request to a stopped or unreachable node after
     * 5 s, so that its next attempt goes to another node.
     */
    public static Admin admin(KafkaEndpoint node) {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, node.bootstrapServers());
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, Integer.toString(REQUEST_TIMEOUT_MS));
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "60000");
        return Admin.create(props);
    }

    /** The active controller's id, once a node the client reaches names one. */
    public static int activeController(Admin admin, Duration wait) {
        AtomicInteger id = new AtomicInteger(-1);
        Await.awaitCondition(wait, () -> {
            Node controller = get(admin.describeCluster().controller());
            id.set(controller == null ? -1 : controller.id());
            return id.get() >= 0;
        }, "an active controller is known");
        return id.get();
    }

    /** The topic's description, or null when it is not known yet or the node asked did not answer in time. */
    public static TopicDescription describeOrNull(Admin admin, String topic) {
        try {
            return admin.describeTopics(List.of(topic), new DescribeTopicsOptions().timeoutMs(CALL_TIMEOUT_MS))
                    .allTopicNames().get(CALL_TIMEOUT_MS + 1000, TimeUnit.MILLISECONDS).get(topic);
        } catch (ExecutionException | TimeoutException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
