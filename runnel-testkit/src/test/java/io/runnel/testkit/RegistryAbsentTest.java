package io.runnel.testkit;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import org.junit.jupiter.api.Test;

/** Without runnel-registry on the class path, schemaRegistryUrl() says which dependency to add. */
class RegistryAbsentTest {
    @Test
    void theMissingRegistryIsNamed() throws Exception {
        URL testkitClasses = TestSchemaRegistry.class.getProtectionDomain().getCodeSource().getLocation();
        // runnel-testkit's own classes and the JDK only: no io.runnel.registry.
        try (URLClassLoader withoutRegistry = new URLClassLoader(new URL[] {testkitClasses},
                ClassLoader.getPlatformClassLoader())) {
            Method require = Class.forName(TestSchemaRegistry.class.getName(), true, withoutRegistry)
                    .getDeclaredMethod("requireRegistryModule");
            require.setAccessible(true);
            InvocationTargetException thrown = assertThrows(InvocationTargetException.class, () -> require.invoke(null));
            IllegalStateException failure = assertInstanceOf(IllegalStateException.class, thrown.getCause());
            assertTrue(failure.getMessage().contains("io.runnel:runnel-registry"), failure.getMessage());
        }
        // With it, as in this module's tests, the check passes.
        TestSchemaRegistry.requireRegistryModule();
    }
}
