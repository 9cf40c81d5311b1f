package io.runnel.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.runnel.testkit.RunnelExtension;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

@SpringBootTest(classes = SpringBootKafkaTest.GreetingApp.class,
        properties = "spring.kafka.consumer.auto-offset-reset=earliest")
class SpringBootKafkaTest {
    @RegisterExtension
    static RunnelExtension runnel = RunnelExtension.create();

    @DynamicPropertySource
    static void kafkaProperties(DynamicPropertyRegistry registry) {
        registry.add("spring.kafka.bootstrap-servers", runnel::bootstrapServers);
    }

    @BeforeAll
    static void createTopic() {
        runnel.createTopic("greetings", 1);
    }

    @Autowired
    KafkaTemplate<String, String> template;

    @Autowired
    GreetingListener listener;

    @Test
    void theListenerReceivesWhatTheTemplateSends() throws Exception {
        template.send("greetings", "hello").get(30, TimeUnit.SECONDS);
        assertEquals("hello", listener.received.poll(30, TimeUnit.SECONDS));
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    @Import(GreetingListener.class)
    static class GreetingApp {
    }

    static class GreetingListener {
        final BlockingQueue<String> received = new LinkedBlockingQueue<>();

        @KafkaListener(topics = "greetings", groupId = "greeter")
        void listen(String greeting) {
            received.add(greeting);
        }
    }
}
