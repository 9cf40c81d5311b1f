package io.runnel.it.logdirs;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;

/** A small tmpfs mounted on a directory (the tests run as root), to fill up; unmounted on close. */
final class Tmpfs implements AutoCloseable {
    private final Path mountPoint;

    private Tmpfs(Path mountPoint) {
        this.mountPoint = mountPoint;
    }

    static Tmpfs mount(Path mountPoint, String size) throws IOException, InterruptedException {
        run("mount", "-t", "tmpfs", "-o", "size=" + size, "tmpfs", mountPoint.toString());
        return new Tmpfs(mountPoint);
    }

    /** Writes a file of zeros until the file system is full: every later write that needs a new page fails. */
    void fill() throws IOException {
        ByteBuffer zeros = ByteBuffer.allocate(64 * 1024);
        try (FileChannel filler = FileChannel.open(mountPoint.resolve("filler"), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE)) {
            while (true) {
                zeros.clear();
                filler.write(zeros);
            }
        } catch (IOException full) {
            if (!String.valueOf(full.getMessage()).contains("No space left")) {
                throw full;
            }
        }
    }

    @Override
    public void close() throws IOException, InterruptedException {
        run("umount", "-l", mountPoint.toString());
    }

    private static void run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
            process.destroyForcibly();
            throw new IOException(String.join(" ", command) + " failed: "
                    + new String(process.getInputStream().readAllBytes()));
        }
    }
}
