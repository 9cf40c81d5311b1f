// Reads partition 0 of a topic from the beginning with a KafkaJS consumer group, with rackId when given, checks that
// record i's value starts with the number i, and prints the bytes of the Fetch responses from each broker, from
// KafkaJS's request instrumentation events, as "<host:port> <bytes>" lines.
// Arguments: bootstrap (comma-separated host:port list) topic records [rackId]
'use strict'
const { Kafka, logLevel } = require('kafkajs')

const [bootstrap, topic, recordsArg, rackId] = process.argv.slice(2)
const records = Number(recordsArg)

async function main () {
  const kafka = new Kafka({ clientId: 'kafkajs-rack', brokers: bootstrap.split(','), logLevel: logLevel.WARN })
  const consumer = kafka.consumer({ groupId: 'kafkajs-rack-' + (rackId || 'none'), rackId: rackId || '' })
  const fetched = {}
  consumer.on(consumer.events.REQUEST, ({ payload }) => {
    if (payload.apiName === 'Fetch') {
      fetched[payload.broker] = (fetched[payload.broker] || 0) + payload.size
    }
  })
  let read = 0
  let failure = null
  let done
  const allRead = new Promise(resolve => { done = resolve })
  await consumer.connect()
  await consumer.subscribe({ topics: [topic], fromBeginning: true })
  await consumer.run({
    eachMessage: async ({ message }) => {
      if (read >= records) return
      const prefix = String(read)
      const text = message.value.toString('latin1', 0, 16)
      if (!text.startsWith(prefix) || /[0-9]/.test(text.charAt(prefix.length))) {
        failure = failure || `record ${read}: unexpected value ${text}`
      }
      read++
      if (read === records || failure) done()
    }
  })
  const timeout = setTimeout(() => { failure = failure || `read ${read} of ${records} records in 60 s`; done() }, 60000)
  await allRead
  clearTimeout(timeout)
  await consumer.disconnect()
  if (failure) throw new Error(failure)
  for (const [broker, bytes] of Object.entries(fetched)) {
    console.log(`${broker} ${bytes}`)
  }
}

main().catch(error => {
  console.error(error)
  process.exit(1)
})
