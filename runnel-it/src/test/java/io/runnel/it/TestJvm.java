package io.runnel.it;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A class's main method in a JVM of its own on the test classpath, so that a test can SIGKILL it. */
public final class TestJvm {
    private TestJvm() {
    }

    /** Starts {@code main} with {@code args} and at most {@code maxHeap} ("256m") of heap; output to {@code output}. */
    public static Process start(Class<?> main, String maxHeap, Path output, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Xmx" + maxHeap, "-cp", System.getProperty("java.class.path"), main.getName()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
    }
}
