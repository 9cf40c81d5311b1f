package io.runnel.metadata.quorum;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import org.apache.ratis.proto.RaftProtos.RaftConfigurationProto;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rewrites {@link QuorumVotersFile} with the voters of each group configuration the member applies, on a thread of
 * its own: the configuration arrives on Ratis's apply thread, which does no file I/O.
 */
final class VotersFileKeeper implements Consumer<RaftConfigurationProto>, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(VotersFileKeeper.class);

    private final Path metadataDir;
    private final ExecutorService writer = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "runnel-quorum-voters-file");
        t.setDaemon(true);
        return t;
    });

    VotersFileKeeper(Path metadataDir) {
        this.metadataDir = metadataDir;
    }

    @Override
    public void accept(RaftConfigurationProto configuration) {
        record(RatisMetadataLog.voters(configuration));
    }

    /** Writes {@code voters} to the file, after every write asked for before. */
    void record(Map<Integer, InetSocketAddress> voters) {
        try {
            writer.execute(() -> {
                try {
                    QuorumVotersFile.write(metadataDir, voters);
                } catch (IOException e) {
                    LOG.warn("Could not record the metadata quorum's voters {} in {}", voters, metadataDir, e);
                }
            });
        } catch (RejectedExecutionException e) {
            // Closed: the member is shutting down, and starts from its log's configuration next time.
        }
    }

    @Override
    public void close() {
        writer.shutdown();
    }
}
