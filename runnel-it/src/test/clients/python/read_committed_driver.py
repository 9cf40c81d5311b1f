"""Reads partition 0 of a topic from offset 0 to its end with confluent-kafka-python at the given isolation level
and prints each record's value on a line of its own.

Usage: read_committed_driver.py <bootstrap servers> <topic> <read_committed|read_uncommitted>
"""
import sys

from confluent_kafka import Consumer, KafkaError, TopicPartition


def main():
    bootstrap, topic, isolation = sys.argv[1:4]
    consumer = Consumer({
        'bootstrap.servers': bootstrap,
        'group.id': 'read-committed-driver',
        'isolation.level': isolation,
        'enable.auto.commit': False,
        'enable.partition.eof': True,
    })
    consumer.assign([TopicPartition(topic, 0, 0)])
    try:
        while True:
            message = consumer.poll(60)
            if message is None:
                sys.exit('no end of partition within 60 s')
            if message.error():
                if message.error().code() == KafkaError._PARTITION_EOF:
                    return
                sys.exit('error: %s' % message.error())
            print(message.value().decode('utf-8'), flush=True)
    finally:
        consumer.close()


if __name__ == '__main__':
    main()
