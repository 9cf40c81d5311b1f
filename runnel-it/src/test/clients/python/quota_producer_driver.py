"""Produces records as fast as librdkafka (confluent-kafka-python) sends them and prints the longest throttle time
the broker announced, in milliseconds, as 'throttle-time-max <ms>'.

Usage: quota_producer_driver.py <bootstrap servers> <topic> <client id> <records> <value bytes>
"""
import sys

from confluent_kafka import Producer

longest = [0.0]


def throttled(event):
    longest[0] = max(longest[0], event.throttle_time * 1000)


def main():
    bootstrap, topic, client_id = sys.argv[1:4]
    records, size = int(sys.argv[4]), int(sys.argv[5])
    failures = []
    producer = Producer({
        'bootstrap.servers': bootstrap,
        'client.id': client_id,
        'acks': 1,
        # kafka-clients' batch size: the records go in many requests, which librdkafka pipelines.
        'batch.size': 16384,
        'throttle_cb': throttled,
    })
    value = b'x' * size
    for _ in range(records):
        while True:
            try:
                producer.produce(topic, value, partition=0,
                                 on_delivery=lambda err, msg: err and failures.append(str(err)))
                break
            except BufferError:
                producer.poll(0.1)
        producer.poll(0)
    if producer.flush(120) > 0:
        sys.exit('records still undelivered after 120 s')
    producer.poll(0)
    if failures:
        sys.exit('delivery failed: %s' % failures[0])
    print('throttle-time-max %d' % longest[0], flush=True)


if __name__ == '__main__':
    main()
