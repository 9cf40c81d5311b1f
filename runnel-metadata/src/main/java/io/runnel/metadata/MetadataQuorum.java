package io.runnel.metadata;

import io.runnel.metadata.controller.QuorumController;
import io.runnel.metadata.quorum.RatisMetadataLog;
import java.io.IOException;
import java.time.Duration;

/**
 * This node's member of the metadata quorum: the Ratis voter applying the metadata log to the image, and the
 * controller that writes to it while this node leads.
 */
public final class MetadataQuorum implements AutoCloseable {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final long OPERATION_TIMEOUT_MS = 30_000;

    private final RatisMetadataLog log;
    private final QuorumController controller;

    public MetadataQuorum(QuorumConfig config) {
        this.log = new RatisMetadataLog(config);
        this.controller = new QuorumController(log, config.defaultNumPartitions(), config.defaultReplicationFactor(),
                OPERATION_TIMEOUT_MS);
    }

    /** Formats new storage or recovers existing, then waits (bounded) until a leader exists and the log is replayed. */
    public void start() throws IOException {
        try {
            log.start(START_TIMEOUT);
        } catch (IOException e) {
            controller.close();
            throw e;
        }
    }

    /** The latest applied image. */
    public MetadataImage image() {
        return log.stateMachine().image();
    }

    /** Registers {@code listener}; it is called at once with (empty, current), then on every applied entry. */
    public void addListener(MetadataListener listener) {
        log.stateMachine().addListener(listener);
    }

    /**
     * The controller. Operations succeed while this node is the Ratis leader (always, on a single node);
     * elsewhere they fail with {@code NotControllerException}.
     */
    public Controller controller() {
        return controller;
    }

    public boolean isActiveController() {
        return log.isLeader();
    }

    @Override
    public void close() {
        controller.close();
        log.close();
    }
}
