// Writes two transactions to partition 0 of a topic with KafkaJS's transactional producer: the first, of records
// "committed-<i>", committed; the second, of records "aborted-<i>", aborted. Each also commits an offset of partition
// 0 of the topic for the group (transaction.sendOffsets): the number of records written so far. Prints "done".
// Arguments: bootstrap (comma-separated host:port list) topic transactionalId recordsPerTransaction group
'use strict'
const { Kafka, Partitioners, logLevel } = require('kafkajs')

const [bootstrap, topic, transactionalId, recordsArg, group] = process.argv.slice(2)
const records = Number(recordsArg)

async function main () {
  const kafka = new Kafka({ clientId: 'runnel-it-kafkajs-transactions', brokers: bootstrap.split(','), logLevel: logLevel.WARN })
  const producer = kafka.producer({
    transactionalId,
    idempotent: true,
    maxInFlightRequests: 1,
    createPartitioner: Partitioners.DefaultPartitioner
  })
  await producer.connect()
  for (const [n, outcome] of ['committed', 'aborted'].entries()) {
    const transaction = await producer.transaction()
    const messages = []
    for (let i = 0; i < records; i++) {
      messages.push({ partition: 0, value: `${outcome}-${i}` })
    }
    await transaction.send({ topic, acks: -1, messages })
    await transaction.sendOffsets({
      consumerGroupId: group,
      topics: [{ topic, partitions: [{ partition: 0, offset: String(records * (n + 1)) }] }]
    })
    if (outcome === 'committed') {
      await transaction.commit()
    } else {
      await transaction.abort()
    }
  }
  await producer.disconnect()
  console.log('done')
}

main().catch(error => {
  console.error(error)
  process.exit(1)
})
