package io.runnel.it;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/**
 * A copy of the install layout in which tests run the real {@code bin/runnel}: the script, and a
 * {@code runnel-tools/target/runnel-tools-*.jar} that is a manifest-only jar pointing at the test class path, so the
 * launcher finds its jar and builds nothing.
 */
final class LauncherInstall {
    private LauncherInstall() {
    }

    /** Lays out {@code bin/runnel} and the jar under {@code install}; returns the script. */
    static Path into(Path install) throws IOException {
        Files.createDirectories(install.resolve("bin"));
        Path script = Files.copy(Path.of("../bin/runnel"), install.resolve("bin/runnel"));
        Path target = Files.createDirectories(install.resolve("runnel-tools/target/lib"));
        StringBuilder classPath = new StringBuilder();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            classPath.append(Path.of(entry).toAbsolutePath().toUri()).append(' ');
        }
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.CLASS_PATH, classPath.toString().strip());
        try (OutputStream file = Files.newOutputStream(target.getParent().resolve("runnel-tools-test.jar"));
             JarOutputStream jar = new JarOutputStream(file, manifest)) {
            jar.flush();
        }
        return script;
    }
}
