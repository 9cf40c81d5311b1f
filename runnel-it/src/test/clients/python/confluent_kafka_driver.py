"""Runs the compatibility scenario (io.runnel.it.compat.ClientScenario) with confluent-kafka-python (librdkafka):
an idempotent producer with keys and headers, watermark and time look-ups, and a consumer group that commits.
Prints one line per observation for ConfluentKafkaPythonCompatibilityTest.

Arguments: bootstrap topic group baseTimestamp records origin
"""
import sys
import time

from confluent_kafka import Consumer, KafkaException, Producer, TopicPartition

PARTITIONS = 2
TIMEOUT_S = 60


def produce(bootstrap, topic, base, records, origin):
    producer = Producer({'bootstrap.servers': bootstrap, 'enable.idempotence': True})
    sent = {}

    def delivered(err, msg):
        if err is not None:
            raise KafkaException(err)
        sent[int(msg.key().decode().split('-')[1])] = (msg.partition(), msg.offset())

    for i in range(records):
        producer.produce(topic, key=f'key-{i}', value=f'value-{i}', partition=i % PARTITIONS,
                         timestamp=base + i * 1000, headers=[('origin', origin.encode())], on_delivery=delivered)
    if producer.flush(TIMEOUT_S) != 0:
        raise RuntimeError('records left undelivered')
    for i in sorted(sent):
        print(f'sent {i} {sent[i][0]} {sent[i][1]}')


def look_up_offsets(consumer, topic, base, records):
    for p in range(PARTITIONS):
        low, high = consumer.get_watermark_offsets(TopicPartition(topic, p), timeout=TIMEOUT_S)
        print(f'beginning {p} {low}')
        print(f'end {p} {high}')
    for i in range(records + 1):
        query = [TopicPartition(topic, p, base + i * 1000 - 500) for p in range(PARTITIONS)]
        for found in consumer.offsets_for_times(query, timeout=TIMEOUT_S):
            print(f'time {i} {found.partition} {found.offset}')


def consume_and_commit(consumer, topic, records):
    consumer.subscribe([topic])
    consumed = 0
    deadline = time.monotonic() + TIMEOUT_S
    while consumed < records and time.monotonic() < deadline:
        msg = consumer.poll(0.2)
        if msg is None:
            continue
        if msg.error() is not None:
            raise KafkaException(msg.error())
        headers = dict(msg.headers() or [])
        origin = headers['origin'].decode() if 'origin' in headers else '-'
        print(f'consumed {msg.partition()} {msg.offset()} {msg.key().decode()} {msg.value().decode()} '
              f'{origin} {msg.timestamp()[1]}')
        consumed += 1
    consumer.commit(asynchronous=False)
    for tp in consumer.committed([TopicPartition(topic, p) for p in range(PARTITIONS)], timeout=TIMEOUT_S):
        print(f'committed {tp.partition} {tp.offset}')


def main():
    bootstrap, topic, group, base, records, origin = sys.argv[1:7]
    base, records = int(base), int(records)
    produce(bootstrap, topic, base, records, origin)
    consumer = Consumer({'bootstrap.servers': bootstrap, 'group.id': group, 'auto.offset.reset': 'earliest',
                         'enable.auto.commit': False})
    try:
        look_up_offsets(consumer, topic, base, records)
        consume_and_commit(consumer, topic, records)
    finally:
        consumer.close()


if __name__ == '__main__':
    main()
