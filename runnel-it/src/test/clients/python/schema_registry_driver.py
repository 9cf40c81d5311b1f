"""Confluent's Avro serialization with confluent-kafka-python against a schema registry: SchemaRegistryClient and
AvroSerializer register the schema and encode records, a Producer writes them, a Consumer reads them back and
AvroDeserializer decodes them through the registry. Prints one line per observation for
ConfluentKafkaPythonSchemaRegistryTest.

Arguments: registry_url bootstrap topic records
"""
import sys

from confluent_kafka import Producer
from confluent_kafka.schema_registry import Schema, SchemaRegistryClient
from confluent_kafka.schema_registry.avro import AvroDeserializer, AvroSerializer
from confluent_kafka.serialization import MessageField, SerializationContext
from partition_reader import read_to_end

USER = """{"type": "record", "name": "User", "namespace": "course",
           "fields": [{"name": "name", "type": "string"}, {"name": "age", "type": "int"}]}"""
# A new field without a default: BACKWARD (the default level) refuses it.
USER_INCOMPATIBLE = """{"type": "record", "name": "User", "namespace": "course",
           "fields": [{"name": "name", "type": "string"}, {"name": "age", "type": "int"},
                      {"name": "email", "type": "string"}]}"""


def main():
    url, bootstrap, topic, records = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
    registry = SchemaRegistryClient({'url': url})
    serializer = AvroSerializer(registry, USER)
    context = SerializationContext(topic, MessageField.VALUE)

    producer = Producer({'bootstrap.servers': bootstrap})
    for i in range(records):
        producer.produce(topic, value=serializer({'name': f'user-{i}', 'age': 20 + i}, context))
    if producer.flush(60) != 0:
        sys.exit('records left unsent')
    subject = f'{topic}-value'
    latest = registry.get_latest_version(subject)
    print(f'registered {subject} version {latest.version} id {latest.schema_id}')
    print(f'subjects {",".join(s for s in registry.get_subjects() if s == subject)}')
    print(f'lookup id {registry.lookup_schema(subject, Schema(USER, "AVRO")).schema_id}')
    print(f'compatible {registry.test_compatibility(subject, Schema(USER_INCOMPATIBLE, "AVRO"))}')
    print(f'level {registry.get_compatibility()}')

    deserializer = AvroDeserializer(registry)
    def decode(message):
        user = deserializer(message.value(), context)
        print(f'decoded {user["name"]} {user["age"]}', flush=True)

    read_to_end({'bootstrap.servers': bootstrap, 'group.id': 'schema-registry-driver'}, topic, decode)


if __name__ == '__main__':
    main()
