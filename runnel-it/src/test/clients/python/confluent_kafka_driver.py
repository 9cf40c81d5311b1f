"""Runs the compatibility scenario (io.runnel.it.compat.ClientScenario) with confluent-kafka-python (librdkafka):
the AdminClient's topic calls, an idempotent producer with keys and headers, watermark and time look-ups, a
consumer group that commits, the group and the topic's configs as the AdminClient sees them. Prints one line per
observation for ConfluentKafkaPythonCompatibilityTest.

Arguments: bootstrap topic group baseTimestamp records origin
"""
import sys
import time

from confluent_kafka import Consumer, KafkaException, Producer, TopicPartition
from confluent_kafka.admin import AdminClient, ConfigResource, NewPartitions, NewTopic

PARTITIONS = 2
TIMEOUT_S = 60


def create_topic(admin, topic):
    admin.create_topics([NewTopic(topic, num_partitions=PARTITIONS, replication_factor=1)])[topic].result(TIMEOUT_S)
    print(f'created {topic}')
    metadata = admin.list_topics(timeout=TIMEOUT_S)
    partitions = metadata.topics[topic].partitions
    leaders = ' '.join(str(partitions[p].leader) for p in sorted(partitions))
    print(f'described {topic} {len(partitions)} {leaders}')
    if topic in metadata.topics:
        print(f'listed {topic}')


def eventually(condition):
    """Whether the condition holds within the deadline, asking every 100 ms: metadata may trail a deletion briefly."""
    deadline = time.monotonic() + TIMEOUT_S
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.1)
    return True


def describe_group_config_and_scratch_topic(admin, topic, group):
    for listed in admin.list_groups(timeout=TIMEOUT_S):
        if listed.id == group:
            print(f'listedGroup {group}')
            print(f'group {group} {listed.state} {len(listed.members)}')
    resource = ConfigResource('topic', topic)
    entries = admin.describe_configs([resource])[resource].result(TIMEOUT_S)
    print(f'config {topic} cleanup.policy {entries["cleanup.policy"].value}')
    scratch = f'{topic}-scratch'
    admin.create_topics([NewTopic(scratch, num_partitions=1, replication_factor=1)])[scratch].result(TIMEOUT_S)
    admin.create_partitions([NewPartitions(scratch, 3)])[scratch].result(TIMEOUT_S)
    eventually(lambda: len(admin.list_topics(scratch, timeout=TIMEOUT_S).topics[scratch].partitions) == 3)
    print(f'grown {scratch} {len(admin.list_topics(scratch, timeout=TIMEOUT_S).topics[scratch].partitions)}')
    admin.delete_topics([scratch])[scratch].result(TIMEOUT_S)
    if eventually(lambda: scratch not in admin.list_topics(timeout=TIMEOUT_S).topics):
        print(f'deleted {scratch}')


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


def share_partitions(bootstrap, topic, group):
    """Two members of one group, polled in turn until each owns one partition of the two."""
    members = [Consumer({'bootstrap.servers': bootstrap, 'group.id': group, 'auto.offset.reset': 'earliest',
                         'enable.auto.commit': False}) for _ in range(2)]
    try:
        for member in members:
            member.subscribe([topic])

        def owned():
            return sorted(','.join(str(tp.partition) for tp in sorted(m.assignment(), key=lambda tp: tp.partition))
                          or '-' for m in members)

        def shared():
            for member in members:
                member.poll(0.2)
            parts = owned()
            return parts[0] != parts[1] and all(p != '-' and ',' not in p for p in parts)

        eventually(shared)
        print('pair ' + ' '.join(owned()))
    finally:
        for member in members:
            member.close()


def main():
    bootstrap, topic, group, base, records, origin = sys.argv[1:7]
    base, records = int(base), int(records)
    admin = AdminClient({'bootstrap.servers': bootstrap})
    create_topic(admin, topic)
    produce(bootstrap, topic, base, records, origin)
    consumer = Consumer({'bootstrap.servers': bootstrap, 'group.id': group, 'auto.offset.reset': 'earliest',
                         'enable.auto.commit': False})
    try:
        look_up_offsets(consumer, topic, base, records)
        consume_and_commit(consumer, topic, records)
    finally:
        consumer.close()
    share_partitions(bootstrap, topic, group + '-pair')
    describe_group_config_and_scratch_topic(admin, topic, group)


if __name__ == '__main__':
    main()
