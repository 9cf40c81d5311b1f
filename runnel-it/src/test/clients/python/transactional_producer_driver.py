"""Writes two transactions to partition 0 of a topic with confluent-kafka-python's transactional producer (librdkafka):
the first, of records "committed-<i>", committed; the second, of records "aborted-<i>", aborted. Each also commits an
offset of partition 0 of the topic for the group (send_offsets_to_transaction): the number of records written so far.
Prints "done".

Usage: transactional_producer_driver.py <bootstrap servers> <topic> <transactional id> <records per transaction> <group>
"""
import sys

from confluent_kafka import Consumer, Producer, TopicPartition


def main():
    bootstrap, topic, transactional_id, records, group = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), \
        sys.argv[5]
    producer = Producer({'bootstrap.servers': bootstrap, 'transactional.id': transactional_id})
    # Not subscribed: its group metadata names the group without a generation, as a simple consumer's commits do.
    consumer = Consumer({'bootstrap.servers': bootstrap, 'group.id': group})
    producer.init_transactions(60)
    for n, outcome in enumerate(('committed', 'aborted')):
        producer.begin_transaction()
        for i in range(records):
            producer.produce(topic, value=('%s-%d' % (outcome, i)).encode('utf-8'), partition=0)
        producer.send_offsets_to_transaction([TopicPartition(topic, 0, records * (n + 1))],
                                             consumer.consumer_group_metadata(), 60)
        if outcome == 'committed':
            producer.commit_transaction(60)
        else:
            # Sent before the abort: librdkafka drops the records still queued when a transaction is aborted.
            producer.flush(60)
            producer.abort_transaction(60)
    consumer.close()
    print('done', flush=True)


if __name__ == '__main__':
    main()
