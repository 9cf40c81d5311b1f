// @kafkajs/confluent-schema-registry against a schema registry: registers an Avro schema, encodes records with it,
// produces them with KafkaJS to partition 0 of a topic, reads them back and decodes them through the registry. Prints
// one line per observation for KafkaJsSchemaRegistryTest.
// Arguments: registryUrl bootstrap (comma-separated host:port list) topic records
'use strict'
const { Kafka, Partitioners, logLevel } = require('kafkajs')
const { SchemaRegistry, SchemaType } = require('@kafkajs/confluent-schema-registry')

const [url, bootstrap, topic, recordsArg] = process.argv.slice(2)
const records = Number(recordsArg)
const USER = {
  type: 'record',
  name: 'User',
  namespace: 'course',
  fields: [{ name: 'name', type: 'string' }, { name: 'age', type: 'int' }]
}

async function main () {
  const registry = new SchemaRegistry({ host: url })
  const subject = `${topic}-value`
  const { id } = await registry.register({ type: SchemaType.AVRO, schema: JSON.stringify(USER) }, { subject })
  console.log(`registered ${subject} id ${id}`)
  console.log(`latest id ${await registry.getLatestSchemaId(subject)}`)

  const kafka = new Kafka({ clientId: 'schema-registry-driver', brokers: bootstrap.split(','), logLevel: logLevel.WARN })
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner })
  await producer.connect()
  const messages = []
  for (let i = 0; i < records; i++) {
    messages.push({ partition: 0, value: await registry.encode(id, { name: `user-${i}`, age: 30 + i }) })
  }
  await producer.send({ topic, acks: -1, messages })
  await producer.disconnect()

  const consumer = kafka.consumer({ groupId: 'schema-registry-driver' })
  await consumer.connect()
  await consumer.subscribe({ topic, fromBeginning: true })
  let seen = 0
  await new Promise((resolve, reject) => {
    consumer.run({
      eachMessage: async ({ message }) => {
        const user = await registry.decode(message.value)
        console.log(`decoded ${user.name} ${user.age}`)
        if (++seen === records) {
          resolve()
        }
      }
    }).catch(reject)
  })
  await consumer.disconnect()
}

main().catch(error => {
  console.error(error)
  process.exit(1)
})
