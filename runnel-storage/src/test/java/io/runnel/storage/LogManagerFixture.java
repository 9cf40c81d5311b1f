package io.runnel.storage;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** A LogManager over one temporary log dir with a mutable clock, opened before and closed after each test. */
abstract class LogManagerFixture {
    static final long NOW = 1_700_000_000_000L;

    @TempDir
    Path logDir;
    final MutableClock clock = new MutableClock(NOW);
    LogManager manager;

    @BeforeEach
    void openManager() {
        manager = new LogManager(List.of(logDir), 60_000, clock);
        manager.loadLogs(tp -> LogConfig.defaults());
    }

    @AfterEach
    void closeManager() {
        manager.close();
    }
}
