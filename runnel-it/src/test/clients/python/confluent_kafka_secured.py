"""Produces records to a topic with confluent-kafka-python (librdkafka) over a secured listener and reads them back,
or only logs in. The client's security settings (security.protocol, ssl.ca.location, sasl.mechanisms,
sasl.username, sasl.password...) come as a JSON object. Prints one line per observation for
TlsClientsCompatibilityTest and SaslClientsCompatibilityTest.

Arguments: bootstrap settings_json topic records (records 0: log in only, printing 'authenticated' or
'refused: <the authentication error>')
"""
import json
import sys

from confluent_kafka import Consumer, KafkaError, KafkaException, Producer

TIMEOUT_S = 60
LOGIN_TIMEOUT_S = 15


def login(settings):
    errors = []
    producer = Producer({**settings, 'error_cb': errors.append})
    try:
        producer.list_topics(timeout=LOGIN_TIMEOUT_S)
        failure = None
    except KafkaException as e:
        failure = e
    producer.poll(0)  # serves the error callbacks
    authentication = [e for e in errors if e.code() == KafkaError._AUTHENTICATION]
    if authentication:
        print(f'refused: {authentication[0].str()}')
    else:
        print('authenticated' if failure is None else f'failed: {failure}')


def round_trip(settings, topic, records):
    producer = Producer({**settings, 'acks': 'all'})
    delivered = []
    for i in range(records):
        producer.produce(topic, key=f'k{i}', value=f'python-{i}',
                         on_delivery=lambda err, msg: delivered.append(msg) if err is None else None)
    producer.flush(TIMEOUT_S)
    print(f'delivered {len(delivered)}')

    consumer = Consumer({**settings, 'group.id': f'{topic}-group', 'auto.offset.reset': 'earliest',
                         'enable.auto.commit': False})
    consumer.subscribe([topic])
    values = set()
    while len(values) < records:
        msg = consumer.poll(TIMEOUT_S)
        if msg is None:
            break
        if msg.error() is None:
            values.add(msg.value().decode())
    consumer.close()
    print(f'consumed {len(values)}')
    print('same' if values == {f'python-{i}' for i in range(records)} else 'different')


def main():
    bootstrap, settings, topic, records = sys.argv[1], json.loads(sys.argv[2]), sys.argv[3], int(sys.argv[4])
    settings = {**settings, 'bootstrap.servers': bootstrap}
    if records == 0:
        login(settings)
    else:
        round_trip(settings, topic, records)


if __name__ == '__main__':
    main()
