package io.runnel.storage;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;

/** Kafka's file names inside a partition directory: the 20-digit zero-padded base offset plus a suffix. */
final class LogFiles {
    static final String LOG = ".log";
    static final String INDEX = ".index";
    static final String TIME_INDEX = ".timeindex";
    static final String TXN_INDEX = ".txnindex";
    static final String SNAPSHOT = ".snapshot";
    /** A cleaned copy of a segment being written; discarded by recovery. */
    static final String CLEANED = ".cleaned";
    /** The kept prefix of a segment that truncation cuts, being written; discarded by recovery. */
    static final String TRUNCATED = ".truncated";
    /** A complete cleaned or truncated copy that replaces its segment; recovery completes the swap. */
    static final String SWAP = ".swap";
    /** A segment removed from the log, awaiting file.delete.delay.ms; removed by recovery. */
    static final String DELETED = ".deleted";
    /** The log file last: renaming it commits a step of a swap. */
    private static final List<String> SEGMENT_FILES = List.of(INDEX, TIME_INDEX, TXN_INDEX, LOG);

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

    /** Renames each existing file of a segment from {@code <base><suffix><from>} to {@code <base><suffix><to>}. */
    static void renameSegment(Path dir, long baseOffset, String from, String to) throws IOException {
        for (String suffix : SEGMENT_FILES) {
            Path source = file(dir, baseOffset, suffix + from);
            if (Files.exists(source)) {
                Files.move(source, file(dir, baseOffset, suffix + to), StandardCopyOption.ATOMIC_MOVE,
                        StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    /** fsyncs the directory itself, making the renames and creations in it durable. */
    static void syncDir(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }

    static void deleteSegment(Path dir, long baseOffset, String state) throws IOException {
        for (String suffix : SEGMENT_FILES) {
            Files.deleteIfExists(file(dir, baseOffset, suffix + state));
        }
    }
}
