"""Writes two transactions to partition 0 of a topic with confluent-kafka-python's transactional producer (librdkafka):
the first, of records "committed-<i>", committed; the second, of records "aborted-<i>", aborted. Prints "done".

Usage: transactional_producer_driver.py <bootstrap servers> <topic> <transactional id> <records per transaction>
"""
import sys

from confluent_kafka import Producer


def main():
    bootstrap, topic, transactional_id, records = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
    producer = Producer({'bootstrap.servers': bootstrap, 'transactional.id': transactional_id})
    producer.init_transactions(60)
    for outcome in ('committed', 'aborted'):
        producer.begin_transaction()
        for i in range(records):
            producer.produce(topic, value=('%s-%d' % (outcome, i)).encode('utf-8'), partition=0)
        if outcome == 'committed':
            producer.commit_transaction(60)
        else:
            # Sent before the abort: librdkafka drops the records still queued when a transaction is aborted.
            producer.flush(60)
            producer.abort_transaction(60)
    print('done', flush=True)


if __name__ == '__main__':
    main()
