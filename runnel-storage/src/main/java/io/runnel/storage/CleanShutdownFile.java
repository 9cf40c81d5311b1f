package io.runnel.storage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Kafka's clean-shutdown marker of a log dir, {@code {"version":0,"brokerEpoch":N}}: present only after every log of
 * the dir was flushed and closed, it names the broker epoch that shutdown ended, which the broker tells the controller
 * when it registers again so that the controller can tell a clean shutdown from a crash (KIP-966).
 */
final class CleanShutdownFile {
    /** Its name in each log dir. */
    static final String NAME = ".kafka_cleanshutdown";
    /** The broker epoch of a marker that names none (or of a broker that never registered). */
    static final long NO_EPOCH = -1;
    private static final Pattern BROKER_EPOCH = Pattern.compile("\"brokerEpoch\"\\s*:\\s*(-?\\d+)");

    private CleanShutdownFile() {
    }

    static void write(Path file, long brokerEpoch) {
        AtomicFile.write(file, "{\"version\":0,\"brokerEpoch\":" + brokerEpoch + "}");
    }

    /** The broker epoch {@code file} names, {@link #NO_EPOCH} if it names none. */
    static long brokerEpoch(Path file) throws IOException {
        Matcher m = BROKER_EPOCH.matcher(Files.readString(file));
        return m.find() ? Long.parseLong(m.group(1)) : NO_EPOCH;
    }
}
