package io.runnel.it;

import com.sun.tools.attach.VirtualMachine;
import java.io.IOException;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

/**
 * A JMX connection to a JVM of this machine by its process id, through the attach API's local management agent:
 * the process tests' nodes need no JMX port of their own (RUNNEL_JMX_PORT is tested through bin/runnel).
 */
final class LocalJmx implements AutoCloseable {
    private final JMXConnector connector;
    private final MBeanServerConnection connection;

    private LocalJmx(JMXConnector connector) throws IOException {
        this.connector = connector;
        this.connection = connector.getMBeanServerConnection();
    }

    static LocalJmx attach(long pid) throws Exception {
        VirtualMachine vm = VirtualMachine.attach(Long.toString(pid));
        try {
            return new LocalJmx(JMXConnectorFactory.connect(new JMXServiceURL(vm.startLocalManagementAgent())));
        } finally {
            vm.detach();
        }
    }

    /** A gauge's Value as an int; unchecked, for Await's conditions. */
    int gauge(String objectName) {
        try {
            return ((Number) connection.getAttribute(new ObjectName(objectName), "Value")).intValue();
        } catch (Exception e) {
            throw new IllegalStateException("cannot read " + objectName, e);
        }
    }

    @Override
    public void close() throws IOException {
        connector.close();
    }
}
