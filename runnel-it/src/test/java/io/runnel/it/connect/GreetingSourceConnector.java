package io.runnel.it.connect;

import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.connector.Task;
import org.apache.kafka.connect.source.SourceConnector;

/**
 * A user's own source connector, as a test installs it in a worker's {@code plugin.path}: its one task writes
 * {@code count} greetings to {@code topic}, then has nothing more to say.
 */
public final class GreetingSourceConnector extends SourceConnector {
    private Map<String, String> settings;

    @Override
    public void start(Map<String, String> props) {
        settings = Map.copyOf(props);
    }

    @Override
    public Class<? extends Task> taskClass() {
        return GreetingSourceTask.class;
    }

    @Override
    public List<Map<String, String>> taskConfigs(int maxTasks) {
        return List.of(settings);
    }

    @Override
    public void stop() {
    }

    @Override
    public ConfigDef config() {
        return new ConfigDef()
                .define("topic", ConfigDef.Type.STRING, ConfigDef.Importance.HIGH, "the topic the greetings go to")
                .define("count", ConfigDef.Type.INT, 3, ConfigDef.Importance.LOW, "how many greetings");
    }

    @Override
    public String version() {
        return "1.0";
    }
}
