"""confluent-kafka-python against Runnel's Java serializers: AvroDeserializer decodes the records a Java
KafkaAvroSerializer produced, then AvroSerializer encodes the same users, printing the bytes in hex, so SerdesTest
can compare them with the Java serializer's byte for byte.

Arguments: registry_url bootstrap topic records
"""
import sys

from confluent_kafka.schema_registry import SchemaRegistryClient
from confluent_kafka.schema_registry.avro import AvroDeserializer, AvroSerializer
from confluent_kafka.serialization import MessageField, SerializationContext
from partition_reader import read_to_end

USER = """{"type": "record", "name": "User", "namespace": "course",
           "fields": [{"name": "name", "type": "string"}, {"name": "age", "type": "int"}]}"""


def main():
    url, bootstrap, topic, records = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
    registry = SchemaRegistryClient({'url': url})
    context = SerializationContext(topic, MessageField.VALUE)

    deserializer = AvroDeserializer(registry)
    def decode(message):
        user = deserializer(message.value(), context)
        print(f'decoded {user["name"]} {user["age"]}', flush=True)

    read_to_end({'bootstrap.servers': bootstrap, 'group.id': 'serdes-interop'}, topic, decode)

    serializer = AvroSerializer(registry, USER)
    for i in range(records):
        print(f'encoded {serializer({"name": f"user-{i}", "age": 20 + i}, context).hex()}', flush=True)


if __name__ == '__main__':
    main()
