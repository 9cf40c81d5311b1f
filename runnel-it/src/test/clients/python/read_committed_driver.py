"""Reads partition 0 of a topic from offset 0 to its end with confluent-kafka-python at the given isolation level
and prints each record's value on a line of its own.

Usage: read_committed_driver.py <bootstrap servers> <topic> <read_committed|read_uncommitted>
"""
import sys
from partition_reader import read_to_end


def main():
    bootstrap, topic, isolation = sys.argv[1:4]
    read_to_end({'bootstrap.servers': bootstrap, 'group.id': 'read-committed-driver', 'isolation.level': isolation},
                topic, lambda message: print(message.value().decode('utf-8'), flush=True))


if __name__ == '__main__':
    main()
