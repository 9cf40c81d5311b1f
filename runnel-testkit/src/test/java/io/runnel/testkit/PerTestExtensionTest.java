package io.runnel.testkit;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A fresh cluster per test: nothing one test creates is there for the next. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PerTestExtensionTest {
    @RegisterExtension
    static RunnelExtension runnel = RunnelExtension.perTest();

    private static String firstClusterId;

    @Test
    @Order(1)
    void theFirstTestCreatesATopic() throws Exception {
        firstClusterId = runnel.cluster().clusterId();
        runnel.createTopic("left-behind", 1);
        assertTrue(runnel.admin().listTopics().names().get().contains("left-behind"));
    }

    @Test
    @Order(2)
    void theSecondTestHasAFreshClusterWithoutIt() throws Exception {
        assertNotNull(firstClusterId);
        assertNotEquals(firstClusterId, runnel.cluster().clusterId());
        assertFalse(runnel.admin().listTopics().names().get().contains("left-behind"));
    }
}
