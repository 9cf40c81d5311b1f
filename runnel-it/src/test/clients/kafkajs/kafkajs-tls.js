// Produces records to a topic over TLS with KafkaJS and reads them back, trusting the broker's authority through
// a PEM file (ssl: { ca: [...] }). Prints one line per observation for TlsClientsCompatibilityTest.
//
// Arguments: bootstrap topic caFile records
const fs = require('fs')
const { Kafka, logLevel } = require('kafkajs')

const [bootstrap, topic, caFile, recordsArg] = process.argv.slice(2)
const records = Number(recordsArg)
const kafka = new Kafka({
  clientId: 'runnel-it-kafkajs-tls',
  brokers: [bootstrap],
  ssl: { ca: [fs.readFileSync(caFile, 'utf-8')] },
  logLevel: logLevel.WARN
})

async function main () {
  const producer = kafka.producer()
  await producer.connect()
  const messages = []
  for (let i = 0; i < records; i++) {
    messages.push({ key: `k${i}`, value: `kafkajs-${i}` })
  }
  const sent = await producer.send({ topic, acks: -1, messages })
  await producer.disconnect()
  console.log(`acknowledged ${sent.length > 0 ? records : 0}`)

  const consumer = kafka.consumer({ groupId: `${topic}-group` })
  await consumer.connect()
  await consumer.subscribe({ topic, fromBeginning: true })
  const values = new Set()
  await new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, 60000)
    consumer.run({
      eachMessage: async ({ message }) => {
        values.add(message.value.toString())
        if (values.size >= records) {
          clearTimeout(timer)
          resolve()
        }
      }
    }).catch(reject)
  })
  await consumer.disconnect()
  console.log(`consumed ${values.size}`)
  const same = values.size === records && [...Array(records).keys()].every(i => values.has(`kafkajs-${i}`))
  console.log(same ? 'same' : 'different')
}

main().catch(e => {
  console.error(e)
  process.exit(1)
})
