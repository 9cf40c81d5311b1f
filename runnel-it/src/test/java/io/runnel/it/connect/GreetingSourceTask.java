package io.runnel.it.connect;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.source.SourceTask;

/** The task of {@link GreetingSourceConnector}: all its greetings in its first poll, none after. */
public final class GreetingSourceTask extends SourceTask {
    private String topic;
    private int count;
    private boolean said;

    @Override
    public void start(Map<String, String> props) {
        topic = props.get("topic");
        count = Integer.parseInt(props.getOrDefault("count", "3"));
    }

    @Override
    public List<SourceRecord> poll() throws InterruptedException {
        if (said) {
            Thread.sleep(100); // Connect calls poll in a loop: pause it rather than spin while there is nothing new.
            return null;
        }
        said = true;
        List<SourceRecord> greetings = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            greetings.add(new SourceRecord(Map.of("greetings", topic), Map.of("position", i), topic, null,
                    Schema.STRING_SCHEMA, "greeting " + i));
        }
        return greetings;
    }

    @Override
    public void stop() {
    }

    @Override
    public String version() {
        return "1.0";
    }
}
