"""Produces records to a topic over TLS with confluent-kafka-python (librdkafka) and reads them back, trusting the
broker's authority through a PEM file (ssl.ca.location). Prints one line per observation for
TlsClientsCompatibilityTest.

Arguments: bootstrap topic ca_location records
"""
import sys

from confluent_kafka import Consumer, Producer

TIMEOUT_S = 60


def main():
    bootstrap, topic, ca_location, records = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
    tls = {'bootstrap.servers': bootstrap, 'security.protocol': 'ssl', 'ssl.ca.location': ca_location}
    producer = Producer({**tls, 'acks': 'all'})
    delivered = []
    for i in range(records):
        producer.produce(topic, key=f'k{i}', value=f'python-{i}',
                         on_delivery=lambda err, msg: delivered.append(msg) if err is None else None)
    producer.flush(TIMEOUT_S)
    print(f'delivered {len(delivered)}')

    consumer = Consumer({**tls, 'group.id': f'{topic}-group', 'auto.offset.reset': 'earliest',
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


if __name__ == '__main__':
    main()
