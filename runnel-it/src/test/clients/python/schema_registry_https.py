"""confluent-kafka-python's SchemaRegistryClient against a registry served over https with basic auth: it trusts
the test CA (ssl.ca.location), sends basic.auth.user.info, registers a schema and fetches it back by id; with a
wrong password it gets the registry's 401. Prints one line per observation for SchemaRegistryHttpsTest.

Arguments: registry_url ca_location user_info wrong_user_info subject
"""
import sys

from confluent_kafka.schema_registry import Schema, SchemaRegistryClient
from confluent_kafka.schema_registry.error import SchemaRegistryError

USER = """{"type": "record", "name": "User", "namespace": "course",
           "fields": [{"name": "name", "type": "string"}]}"""


def main():
    url, ca, user_info, wrong_user_info, subject = sys.argv[1:6]
    registry = SchemaRegistryClient({'url': url, 'ssl.ca.location': ca, 'basic.auth.user.info': user_info})
    schema_id = registry.register_schema(subject, Schema(USER, 'AVRO'))
    print(f'registered {subject} id {schema_id}')
    print(f'fetched {registry.get_schema(schema_id).schema_type} {registry.get_latest_version(subject).version}')

    wrong = SchemaRegistryClient({'url': url, 'ssl.ca.location': ca, 'basic.auth.user.info': wrong_user_info})
    try:
        wrong.get_subjects()
        print('wrong password accepted')
    except SchemaRegistryError as e:
        print(f'wrong password {e.http_status_code} {e.error_code}')


if __name__ == '__main__':
    main()
