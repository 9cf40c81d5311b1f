"""Reads partition 0 of a topic from the beginning with librdkafka (confluent-kafka-python), with client.rack set
when given, checks that record i's value starts with the number i, and prints the bytes received from each broker,
from librdkafka's statistics, as 'node <id> <bytes>' lines (and every broker handle of the last report on stderr).

Usage: rack_consumer_driver.py <bootstrap servers> <topic> <records> [<client.rack>]
"""
import json
import sys
import time

from confluent_kafka import OFFSET_BEGINNING, Consumer, TopicPartition

STATS_INTERVAL_MS = 100
received = {}
# Every broker handle of the last report, printed to stderr for a failure's diagnosis.
brokers = []
# When librdkafka made the statistics last handed over, in microseconds of CLOCK_MONOTONIC (its rd_clock(), and
# Python's time.monotonic()).
last_report = [0]


def statistics(text):
    report = json.loads(text)
    received.clear()
    brokers.clear()
    for name, broker in report['brokers'].items():
        brokers.append('%s nodeid %d rxbytes %d' % (name, broker['nodeid'], broker['rxbytes']))
        if broker['nodeid'] >= 0:
            # Summed: librdkafka's logical 'GroupCoordinator' handle carries the coordinator's node id too.
            received[broker['nodeid']] = received.get(broker['nodeid'], 0) + broker['rxbytes']
    last_report[0] = report['ts']


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
    # Statistics made after the last record was read count every byte of it; reports made before may still be
    # queued for a poll on a busy machine.
    read_at = time.monotonic() * 1e6
    deadline = time.monotonic() + 30
    while last_report[0] <= read_at:
        if time.monotonic() > deadline:
            sys.exit('no statistics made after the last record within 30 s')
        consumer.poll(STATS_INTERVAL_MS / 1000)
    consumer.close()
    for node, rx in sorted(received.items()):
        print('node %d %d' % (node, rx), flush=True)
    print('\n'.join(brokers), file=sys.stderr, flush=True)


if __name__ == '__main__':
    main()
