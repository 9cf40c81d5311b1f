package io.runnel.it.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.runnel.it.compat.ClientCommand;
import io.runnel.serdes.avro.KafkaAvroDeserializer;
import io.runnel.serdes.avro.KafkaAvroSerializer;
import io.runnel.serdes.json.KafkaJsonSchemaDeserializer;
import io.runnel.serdes.json.KafkaJsonSchemaSerializer;
import io.vertx.core.json.JsonObject;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.util.ClassSecurityValidator;
import org.apache.avro.util.ClassSecurityValidator.ClassSecurityPredicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * runnel-serdes in applications: producers and consumers configured with the serializer class names and Confluent's
 * settings round-trip Avro (generic and specific) and JSON Schema values through the broker and the registry, and
 * confluent-kafka-python decodes what the Java serializer wrote and writes the very same bytes for the same records.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class SerdesTest extends RegistryOnOneBroker {
    private static final String PYTHON = "/usr/bin/python3";
    private static final Schema USER = new Schema.Parser().parse("{\"type\":\"record\",\"name\":\"User\","
            + "\"namespace\":\"course\",\"fields\":[{\"name\":\"name\",\"type\":\"string\"},"
            + "{\"name\":\"age\",\"type\":\"int\"}]}");
    private static final String ORDER_SCHEMA = "{\"title\":\"Order\",\"type\":\"object\",\"properties\":{"
            + "\"id\":{\"type\":\"string\"},\"amount\":{\"type\":\"integer\",\"minimum\":0}},\"required\":[\"id\"]}";

    /** A JSON Schema value as an application's POJO. */
    public record Order(String id, int amount) {
    }

    @Test
    void genericRecordsRoundTripInConfluentsWireFormat() throws Exception {
        String topic = "serdes-generic";
        cluster.createTopic(topic, 1);
        produce(topic, KafkaAvroSerializer.class, Map.of(), List.of(user("ada", 36), user("alan", 41)));
        int id = new JsonObject(registry.get("/subjects/" + topic + "-value/versions/latest").body()).getInteger("id");
        for (byte[] raw : this.<byte[]>consume(topic, ByteArrayDeserializer.class, Map.of(), 2)) {
            ByteBuffer bytes = ByteBuffer.wrap(raw);
            assertEquals(0, bytes.get());
            assertEquals(id, bytes.getInt());
        }
        List<Object> read = consume(topic, KafkaAvroDeserializer.class, Map.of(), 2);
        assertEquals(List.of(user("ada", 36), user("alan", 41)), read);
    }

    @Test
    void specificRecordsUnderTheRecordNameStrategy() throws Exception {
        String topic = "serdes-specific";
        cluster.createTopic(topic, 1);
        Map<String, Object> byRecordName = Map.of("value.subject.name.strategy",
                "io.confluent.kafka.serializers.subject.RecordNameStrategy");
        produce(topic, KafkaAvroSerializer.class, byRecordName, List.of(new AvroUser("grace", 85)));
        assertEquals(200, registry.get("/subjects/io.runnel.it.registry.AvroUser/versions/1").statusCode());
        assertEquals(404, registry.get("/subjects/" + topic + "-value/versions/1").statusCode());
        // Avro builds specific records only of classes it trusts, as an application's
        // -Dorg.apache.avro.SERIALIZABLE_PACKAGES says.
        ClassSecurityPredicate trusted = ClassSecurityValidator.getGlobal();
        ClassSecurityValidator.setGlobal(ClassSecurityValidator.composite(trusted,
                ClassSecurityValidator.builder().add(AvroUser.class).build()));
        try {
            for (Map<String, Object> reader : List.of(Map.<String, Object>of("specific.avro.reader", "true"),
                    Map.<String, Object>of("specific.avro.reader", "true", "specific.avro.value.type",
                            AvroUser.class.getName()))) {
                List<Object> read = consume(topic, KafkaAvroDeserializer.class, reader, 1);
                assertEquals("grace 85", assertInstanceOf(AvroUser.class, read.get(0)).toString(), reader.toString());
            }
        } finally {
            ClassSecurityValidator.setGlobal(trusted);
        }
    }

    @Test
    void withoutAutoRegistrationTheSchemaMustAlreadyBeThere() throws Exception {
        KafkaAvroSerializer serializer = new KafkaAvroSerializer();
        serializer.configure(settings(Map.of("auto.register.schemas", "false")), false);
        SerializationException missing = assertThrows(SerializationException.class,
                () -> serializer.serialize("serdes-lookup", user("x", 1)));
        assertTrue(missing.getMessage().contains("40401"), missing.getMessage());
        int id = SchemaRegistryApiTest.object(registry.post("/subjects/serdes-lookup-value/versions",
                RegistryHttp.schemaBody(USER.toString()))).getInteger("id");
        assertEquals(id, ByteBuffer.wrap(serializer.serialize("serdes-lookup", user("x", 1)), 1, 4).getInt());
    }

    @Test
    void jsonSchemaValuesRoundTripAsPojosOrJsonNodes() throws Exception {
        String topic = "serdes-json";
        cluster.createTopic(topic, 1);
        Map<String, Object> settings = settings(Map.of("json.fail.invalid.schema", "true"));
        try (KafkaJsonSchemaSerializer<Order> serializer = new KafkaJsonSchemaSerializer<>(ORDER_SCHEMA)) {
            serializer.configure(settings, false);
            produceBytes(topic, List.of(serializer.serialize(topic, new Order("o-1", 5))));
            SerializationException invalid = assertThrows(SerializationException.class,
                    () -> serializer.serialize(topic, new Order("o-2", -1)));
            assertTrue(invalid.getMessage().contains("does not match"), invalid.getMessage());
        }
        assertEquals("JSON", new JsonObject(registry.get("/subjects/" + topic + "-value/versions/latest").body())
                .getString("schemaType"));
        // Without a schema of its own, a serializer writes with the subject's latest.
        produce(topic, KafkaJsonSchemaSerializer.class, Map.of("use.latest.version", "true"),
                List.of(new Order("o-3", 7)));

        assertEquals(List.of(new Order("o-1", 5), new Order("o-3", 7)), consume(topic,
                KafkaJsonSchemaDeserializer.class, Map.of("json.value.type", Order.class.getName()), 2));
        JsonNode tree = (JsonNode) consume(topic, KafkaJsonSchemaDeserializer.class, Map.of(), 1).get(0);
        assertEquals("o-1", tree.get("id").asText());
    }

    @Test
    void pythonDecodesWhatJavaWroteAndWritesTheSameBytes() throws Exception {
        ClientCommand.requireInstalled("confluent-kafka-python's Avro serializer",
                "apt-get install python3-confluent-kafka python3-requests, and fastavro (see .ci/run)",
                PYTHON, "-c", "import confluent_kafka.schema_registry.avro");
        String topic = "serdes-python";
        cluster.createTopic(topic, 1);
        List<Object> users = List.of(user("user-0", 20), user("user-1", 21));
        produce(topic, KafkaAvroSerializer.class, Map.of(), users);

        String out = ClientCommand.run("", List.of(PYTHON, ClientCommand.clientsDir().resolve("python")
                .resolve("serdes_interop.py").toString(), registry.url(), cluster.bootstrapServers(), topic,
                String.valueOf(users.size())));
        List<String> expected = new ArrayList<>(List.of("decoded user-0 20", "decoded user-1 21"));
        try (KafkaAvroSerializer serializer = new KafkaAvroSerializer()) {
            serializer.configure(settings(Map.of()), false);
            for (Object user : users) {
                expected.add("encoded " + HexFormat.of().formatHex(serializer.serialize(topic, user)));
            }
        }
        assertEquals(expected, out.lines().toList());
    }

    private static GenericRecord user(String name, int age) {
        GenericRecord user = new GenericData.Record(USER);
        user.put("name", name);
        user.put("age", age);
        return user;
    }

    private Map<String, Object> settings(Map<String, Object> more) {
        Map<String, Object> settings = new HashMap<>(more);
        settings.put("schema.registry.url", registry.url());
        return settings;
    }

    private <V> void produce(String topic, Class<?> serializer, Map<String, Object> more,
                             List<V> values) throws Exception {
        Properties props = new Properties();
        props.putAll(settings(more));
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers());
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, serializer.getName());
        try (KafkaProducer<String, V> producer = new KafkaProducer<>(props)) {
            for (V value : values) {
                producer.send(new ProducerRecord<>(topic, value)).get();
            }
        }
    }

    private void produceBytes(String topic, List<byte[]> values) throws Exception {
        try (KafkaProducer<byte[], byte[]> producer = cluster.producer(new Properties())) {
            for (byte[] value : values) {
                producer.send(new ProducerRecord<>(topic, value)).get();
            }
        }
    }

    /** The first {@code count} values of partition 0, read with that deserializer. */
    private <V> List<V> consume(String topic, Class<?> deserializer, Map<String, Object> more,
                                int count) {
        Properties props = new Properties();
        props.putAll(settings(more));
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers());
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, deserializer.getName());
        List<V> values = new ArrayList<>();
        TopicPartition partition = new TopicPartition(topic, 0);
        try (KafkaConsumer<String, V> consumer = new KafkaConsumer<>(props)) {
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (values.size() < count && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, V> record : consumer.poll(Duration.ofMillis(200))) {
                    values.add(record.value());
                }
            }
        }
        return values.subList(0, Math.min(count, values.size()));
    }
}
