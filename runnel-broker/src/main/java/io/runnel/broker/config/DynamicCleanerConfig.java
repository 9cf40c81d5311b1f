package io.runnel.broker.config;

import io.runnel.metadata.MetadataImage;
import io.runnel.metadata.MetadataListener;
import io.runnel.metadata.config.DynamicBrokerConfigDef;
import io.runnel.storage.LogManager;
import io.runnel.storage.LogManagerConfig;

/**
 * Applies the dynamic {@code log.cleaner.threads}, {@code log.cleaner.dedupe.buffer.size} and
 * {@code log.cleaner.backoff.ms} (this broker's, else the cluster default, else the static value) to the log cleaner
 * whenever their effective values change, those kept in the metadata log included at start-up. Must be told of each update after the {@link TopicConfigResolver} has
 * taken the update's dynamic broker configs.
 */
public final class DynamicCleanerConfig implements MetadataListener {
    private record Settings(int threads, long dedupeBufferSize, long backoffMs) {
    }

    private final TopicConfigResolver configs;
    private final LogManager logs;
    private Settings applied;

    /** @param started the settings the log manager was started with */
    public DynamicCleanerConfig(TopicConfigResolver configs, LogManager logs, LogManagerConfig started) {
        this.configs = configs;
        this.logs = logs;
        this.applied = new Settings(started.cleanerThreads(), started.cleanerDedupeBufferSize(),
                started.cleanerBackoffMs());
    }

    @Override
    public void onMetadataUpdate(MetadataImage previous, MetadataImage current) {
        Settings wanted = current();
        if (!wanted.equals(applied)) {
            applied = wanted;
            logs.reconfigureCleaner(wanted.threads(), wanted.dedupeBufferSize(), wanted.backoffMs());
        }
    }

    private Settings current() {
        return new Settings(Integer.parseInt(value(DynamicBrokerConfigDef.LOG_CLEANER_THREADS)),
                Long.parseLong(value(DynamicBrokerConfigDef.LOG_CLEANER_DEDUPE_BUFFER_SIZE)),
                Long.parseLong(value(DynamicBrokerConfigDef.LOG_CLEANER_BACKOFF_MS)));
    }

    private String value(String key) {
        return configs.resolveBroker(key).value().trim();
    }
}
