package io.runnel.storage;

import java.nio.file.Path;

/** Kafka's file names inside a partition directory: the 20-digit zero-padded base offset plus a suffix. */
final class LogFiles {
    static final String LOG = ".log";
    static final String INDEX = ".index";
    static final String TIME_INDEX = ".timeindex";
    static final String SNAPSHOT = ".snapshot";

    private LogFiles() {
    }

    static Path file(Path dir, long offset, String suffix) {
        return dir.resolve(String.format("%020d", offset) + suffix);
    }

    /** The offset a file name starts with if it ends in {@code suffix}, else -1. */
    static long offsetOf(Path file, String suffix) {
        String name = file.getFileName().toString();
        if (!name.endsWith(suffix) || name.length() != 20 + suffix.length()) {
            return -1;
        }
        try {
            return Long.parseLong(name.substring(0, 20));
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
