package io.runnel.tools;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import javax.management.Attribute;
import javax.management.MBeanAttributeInfo;
import javax.management.MBeanServerConnection;
import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;
import java.io.PrintWriter;
import java.text.SimpleDateFormat;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * {@code runnel jmx}: kafka-jmx.sh. Reads the attributes of the MBeans matching {@code --object-name} (all MBeans
 * without it) over a JMX connection and prints them every {@code --reporting-interval} ms, as Kafka's JmxTool does:
 * in the original format a header of quoted {@code "time","<object name>:<attribute>",...} keys in sorted order, then
 * one comma-separated row per poll; properties, csv and tsv print one key and value per line.
 */
@Command(name = "jmx", mixinStandardHelpOptions = true, description = "Dump JMX values to standard output.")
final class JmxCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--jmx-url", paramLabel = "service-url", defaultValue = "service:jmx:rmi:///jndi/rmi://:9999/jmxrmi",
            description = "The url to connect to poll JMX data (default: ${DEFAULT-VALUE}).")
    String jmxUrl;

    @Option(names = "--object-name", paramLabel = "name",
            description = "A JMX object name to use as a query; may contain wild cards and be given several times. "
                    + "Without it all objects are queried.")
    List<String> objectNames = new ArrayList<>();

    @Option(names = "--attributes", paramLabel = "name", split = ",",
            description = "The comma-separated attributes to include; without it all attributes.")
    List<String> attributes;

    @Option(names = "--reporting-interval", paramLabel = "ms", defaultValue = "2000",
            description = "Interval in ms with which to poll JMX stats (default: ${DEFAULT-VALUE}); -1 means one time.")
    int reportingInterval;

    @Option(names = "--one-time", arity = "0..1", fallbackValue = "true",
            description = "Poll once only. As Kafka's tool, the flag given at all means once, whatever its value.")
    Boolean oneTime;

    @Option(names = "--date-format", paramLabel = "format",
            description = "A java.text.SimpleDateFormat for the time field (default: milliseconds since the epoch).")
    String dateFormat;

    @Option(names = "--report-format", paramLabel = "report-format", defaultValue = "original",
            description = "original, properties, csv or tsv (default: ${DEFAULT-VALUE}).")
    String reportFormat;

    @Option(names = "--jmx-auth-prop", paramLabel = "username=password",
            description = "Credentials for a JMX agent with password authentication.")
    String authProp;

    @Override
    public Integer call() throws Exception {
        List<ObjectName> queries = queries();
        SimpleDateFormat format = dateFormat == null ? null : new SimpleDateFormat(dateFormat);
        Map<String, Object> env = new HashMap<>();
        if (authProp != null) {
            env.put(JMXConnector.CREDENTIALS, authProp.split("=", 2));
        }
        spec.commandLine().getErr().println("Trying to connect to JMX url: " + jmxUrl);
        PrintWriter out = spec.commandLine().getOut();
        try (JMXConnector connector = JMXConnectorFactory.connect(new JMXServiceURL(jmxUrl), env)) {
            MBeanServerConnection connection = connector.getMBeanServerConnection();
            Set<ObjectName> found = new TreeSet<>();
            for (ObjectName query : queries) {
                found.addAll(connection.queryNames(query, null));
            }
            boolean once = oneTime != null || reportingInterval < 0;
            boolean header = true;
            while (true) {
                long started = System.currentTimeMillis();
                Map<String, Object> values = read(connection, found);
                String time = format == null ? Long.toString(started) : format.format(new Date(started));
                print(out, time, values, header);
                header = false;
                if (once) {
                    return 0;
                }
                TimeUnit.MILLISECONDS.sleep(Math.max(0, reportingInterval - (System.currentTimeMillis() - started)));
            }
        }
    }

    private List<ObjectName> queries() {
        if (objectNames.isEmpty()) {
            return Arrays.asList((ObjectName) null); // a null query matches every MBean
        }
        List<ObjectName> queries = new ArrayList<>();
        for (String name : objectNames) {
            try {
                queries.add(new ObjectName(name));
            } catch (MalformedObjectNameException e) {
                throw new ParameterException(spec.commandLine(), "Not a JMX object name: " + name);
            }
        }
        return queries;
    }

    /** Each selected attribute's value keyed {@code <object name>:<attribute>}, in key order. */
    private Map<String, Object> read(MBeanServerConnection connection, Set<ObjectName> names) throws Exception {
        Map<String, Object> values = new TreeMap<>();
        for (ObjectName name : names) {
            String[] all = Arrays.stream(connection.getMBeanInfo(name).getAttributes())
                    .map(MBeanAttributeInfo::getName)
                    .filter(a -> attributes == null || attributes.contains(a))
                    .toArray(String[]::new);
            for (Attribute attribute : connection.getAttributes(name, all).asList()) {
                values.put(name + ":" + attribute.getName(), attribute.getValue());
            }
        }
        return values;
    }

    private void print(PrintWriter out, String time, Map<String, Object> values, boolean header) {
        switch (reportFormat.toLowerCase(Locale.ROOT)) {
            case "properties" -> lines(out, time, "%s=%s%n", values);
            case "csv" -> lines(out, time, "%s,\"%s\"%n", values);
            case "tsv" -> lines(out, time, "%s\t%s%n", values);
            default -> {
                if (header) {
                    out.println("\"time\"" + values.keySet().stream().map(k -> ",\"" + k + "\"").collect(Collectors.joining()));
                }
                out.println(time + values.values().stream().map(v -> "," + v).collect(Collectors.joining()));
            }
        }
        out.flush();
    }

    /** One key and value a line, the time first. */
    private static void lines(PrintWriter out, String time, String pattern, Map<String, Object> values) {
        out.printf(pattern, "time", time);
        values.forEach((key, value) -> out.printf(pattern, key, value));
    }
}
