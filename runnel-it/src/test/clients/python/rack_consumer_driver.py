"""Reads partition 0 of a topic from the beginning with librdkafka (confluent-kafka-python), with client.rack set
when given, checks that record i's value starts with the number i, and prints the bytes received from each broker,
from librdkafka's statistics, as 'node <id> <bytes>' lines.

Usage: rack_consumer_driver.py <bootstrap servers> <topic> <records> [<client.rack>]
"""
import json
import sys
import time

from confluent_kafka import OFFSET_BEGINNING, Consumer, TopicPartition

STATS_INTERVAL_MS = 100
received = {}


def statistics(text):
    for broker in json.loads(text)['brokers'].values():
        if broker['nodeid'] >= 0:
            received[broker['nodeid']] = broker['rxbytes']


def check(number, value):
    prefix = str(number).encode()
    if not value.startswith(prefix) or value[len(prefix):len(prefix) + 1].isdigit():
        sys.exit('record %d: unexpected value %r' % (number, value[:16]))


def main():
    bootstrap, topic, records = sys.argv[1], sys.argv[2], int(sys.argv[3])
    config = {
        'bootstrap.servers': bootstrap,
        'group.id': 'rack-driver',
        'enable.auto.commit': False,
        'statistics.interval.ms': STATS_INTERVAL_MS,
        'stats_cb': statistics,
    }
    if len(sys.argv) > 4:
        config['client.rack'] = sys.argv[4]
    consumer = Consumer(config)
    consumer.assign([TopicPartition(topic, 0, OFFSET_BEGINNING)])
    read = 0
    deadline = time.monotonic() + 60
    while read < records:
        if time.monotonic() > deadline:
            sys.exit('read %d of %d records in 60 s' % (read, records))
        message = consumer.poll(0.5)
        if message is None:
            continue
        if message.error():
            sys.exit('consume failed: %s' % message.error())
        check(read, message.value())
        read += 1
    # Statistics emitted after the last record count every byte of it.
    settle = time.monotonic() + 5 * STATS_INTERVAL_MS / 1000
    while time.monotonic() < settle:
        consumer.poll(STATS_INTERVAL_MS / 1000)
    consumer.close()
    for node, rx in sorted(received.items()):
        print('node %d %d' % (node, rx), flush=True)


if __name__ == '__main__':
    main()
