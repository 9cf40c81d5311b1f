package io.runnel.testkit;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** docs/testkit.md shows the Spring Boot example exactly as SpringBootKafkaTest runs it. */
class TestkitDocsTest {
    @Test
    void theSpringBootExampleIsTheTestedOne() throws Exception {
        String docs = Files.readString(Path.of("../docs/testkit.md"));
        String test = Files.readString(Path.of("src/test/java/io/runnel/testkit/SpringBootKafkaTest.java"));
        String example = test.substring(test.indexOf("import "));
        assertTrue(docs.contains("```java\n" + example + "```\n"), "docs/testkit.md lacks SpringBootKafkaTest as it is");
    }
}
