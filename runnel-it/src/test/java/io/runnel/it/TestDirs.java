package io.runnel.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Comparator;
import java.util.stream.Stream;

/** Temporary data directories of test brokers, and the build directory their logs go to. */
public final class TestDirs {
    private TestDirs() {
    }

    static Path createTemp(String prefix) {
        try {
            return Files.createTempDirectory(prefix);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** target/ of this module: surefire passes it, an IDE run falls back to the working directory's. */
    public static Path buildDir() {
        return Paths.get(System.getProperty("runnel.it.dir", "target")).toAbsolutePath();
    }

    /**
     * The test JVM's process id: surefire runs test classes in several JVMs at once, and the files each names in
     * {@link #buildDir()} carry it so that they never mix.
     */
    public static long forkId() {
        return ProcessHandle.current().pid();
    }

        static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
