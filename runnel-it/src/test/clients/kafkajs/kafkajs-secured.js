// Produces records to a topic with KafkaJS over a secured listener and reads them back, or only logs in. The
// client's security options come as a JSON object: { ssl: { caFile }, sasl: { mechanism, username, password } }
// (or sasl: { mechanism: 'oauthbearer', token })
// (caFile: the authority's PEM file). Prints one line per observation for TlsClientsCompatibilityTest and
// SaslClientsCompatibilityTest.
//
// Arguments: bootstrap optionsJson topic records (records 0: log in only, printing 'authenticated' or
// 'refused: <the error's name>: <its message>'; a refused produce prints the same and ends the run)
const fs = require('fs')
const { Kafka, logLevel } = require('kafkajs')

const [bootstrap, optionsJson, topic, recordsArg] = process.argv.slice(2)
const records = Number(recordsArg)
const options = JSON.parse(optionsJson)
if (options.sasl && options.sasl.mechanism === 'oauthbearer') {
  // { mechanism: 'oauthbearer', token }: the token an identity provider issued, as KafkaJS's provider returns it
  const token = options.sasl.token
  options.sasl = { mechanism: 'oauthbearer', oauthBearerProvider: async () => ({ value: token }) }
}
const kafka = new Kafka({
  clientId: 'runnel-it-kafkajs-secured',
  brokers: bootstrap.split(','),
  ssl: options.ssl ? { ca: [fs.readFileSync(options.ssl.caFile, 'utf-8')] } : false,
  sasl: options.sasl,
  retry: records === 0 ? { retries: 0 } : undefined,
  logLevel: logLevel.NOTHING
})

async function login () {
  const admin = kafka.admin()
  try {
    await admin.connect()
    await admin.listTopics()
    console.log('authenticated')
  } catch (e) {
    console.log(`refused: ${e.name}: ${e.message}`)
  } finally {
    await admin.disconnect()
  }
}

async function roundTrip () {
  const producer = kafka.producer()
  await producer.connect()
  const messages = []
  for (let i = 0; i < records; i++) {
    messages.push({ key: `k${i}`, value: `kafkajs-${i}` })
  }
  let sent
  try {
    sent = await producer.send({ topic, acks: -1, messages })
  } catch (e) {
    console.log(`refused: ${e.name}: ${e.message}`)
    await producer.disconnect()
    return
  }
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

(records === 0 ? login() : roundTrip()).catch(e => {
  console.error(e)
  process.exit(1)
})
