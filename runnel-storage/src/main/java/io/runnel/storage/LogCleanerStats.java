package io.runnel.storage;

/**
 * What Kafka's log cleaner metrics report, as of now: the dirtiest compacted log's dirty share when the cleaner last
 * chose one (max-dirty-percent), how long ago it last looked (time-since-last-run-ms), of each cleaner thread's last
 * clean the bytes it wrote against those it read (cleaner-recopy-percent, over all threads) and the longest one's
 * seconds (max-clean-time-secs), the largest share of a thread's offset map its last clean filled
 * (max-buffer-utilization-percent), how far past its {@code max.compaction.lag.ms} the most overdue log was when last
 * looked at (max-compaction-delay-secs), and the cleaner threads that ended on an error (DeadThreadCount).
 */
public record LogCleanerStats(int maxDirtyPercent, long timeSinceLastRunMs, int recopyPercent, int maxCleanTimeSecs,
                              int maxBufferUtilizationPercent, long maxCompactionDelaySecs, int deadThreads) {
}
