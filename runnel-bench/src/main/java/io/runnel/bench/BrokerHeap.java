package io.runnel.bench;

import com.sun.tools.attach.VirtualMachine;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

/**
 * A broker JVM's heap, read over JMX from its local management agent (started through the Attach API, the way
 * jcmd does, but once: a poll is then one JMX call rather than a new jcmd JVM on two busy cores). Tracks the peak
 * of heap used: live data plus garbage not yet collected, so it also follows G1's young-generation sizing. (The
 * pools' usage after GC is no substitute: G1 updates the old generation's only after a mixed or full collection.)
 */
final class BrokerHeap implements AutoCloseable {
    private static final double MIB = 1024.0 * 1024;

    private final JMXConnector connector;
    private final MemoryMXBean memory;
    private long peakUsed;

    private BrokerHeap(JMXConnector connector) throws IOException {
        this.connector = connector;
        this.memory = ManagementFactory.newPlatformMXBeanProxy(connector.getMBeanServerConnection(),
                ManagementFactory.MEMORY_MXBEAN_NAME, MemoryMXBean.class);
    }

    static BrokerHeap attach(long pid) throws Exception {
        VirtualMachine vm = VirtualMachine.attach(Long.toString(pid));
        try {
            return new BrokerHeap(JMXConnectorFactory.connect(new JMXServiceURL(vm.startLocalManagementAgent())));
        } finally {
            vm.detach();
        }
    }

    void poll() {
        peakUsed = Math.max(peakUsed, memory.getHeapMemoryUsage().getUsed());
    }

    double peakUsedMib() {
        return peakUsed / MIB;
    }

    @Override
    public void close() throws IOException {
        connector.close();
    }
}
