// Produces records to partition 0 of a topic with KafkaJS as fast as the broker takes them, as client id clientId,
// in sends of 20 records (acks=1), then prints "done". Its pace is what the test measures: a broker that throttles
// the client id holds it back.
// Arguments: bootstrap (comma-separated host:port list) topic clientId records valueBytes
'use strict'
const { Kafka, Partitioners, logLevel } = require('kafkajs')

const [bootstrap, topic, clientId, recordsArg, sizeArg] = process.argv.slice(2)
const records = Number(recordsArg)
const value = Buffer.alloc(Number(sizeArg), 'x')
const PER_SEND = 20

async function main () {
  const kafka = new Kafka({ clientId, brokers: bootstrap.split(','), logLevel: logLevel.WARN })
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner })
  await producer.connect()
  for (let sent = 0; sent < records; sent += PER_SEND) {
    const messages = []
    for (let i = sent; i < Math.min(records, sent + PER_SEND); i++) {
      messages.push({ partition: 0, value })
    }
    await producer.send({ topic, acks: 1, messages })
  }
  await producer.disconnect()
  console.log('done')
}

main().catch(error => {
  console.error(error)
  process.exit(1)
})
