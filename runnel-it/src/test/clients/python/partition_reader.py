"""Reads partition 0 of a topic from offset 0 to its end with confluent-kafka-python, handing each record to a
function: the drivers that check what a topic holds share it."""
import sys

from confluent_kafka import Consumer, KafkaError, TopicPartition


def read_to_end(config, topic, handle):
    """Assigns partition 0 of `topic` at offset 0 to a consumer made of `config` and calls `handle(message)` for
    each record until the end of the partition; exits the driver with a message on an error or a 60 s silence."""
    consumer = Consumer(dict(config, **{'enable.auto.commit': False, 'enable.partition.eof': True}))
    consumer.assign([TopicPartition(topic, 0, 0)])
    try:
        while True:
            message = consumer.poll(60)
            if message is None:
                sys.exit('no end of partition within 60 s')
            if message.error():
                if message.error().code() == KafkaError._PARTITION_EOF:
                    return
                sys.exit(f'error: {message.error()}')
            handle(message)
    finally:
        consumer.close()
