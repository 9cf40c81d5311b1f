// Runs the compatibility scenario (io.runnel.it.compat.ClientScenario) with KafkaJS: the admin's topic calls, a
// producer, the admin's offset look-ups, a consumer group that commits, the group and the topic's configs as the
// admin describes them. Prints one line per observation for KafkaJsCompatibilityTest.
// Arguments: bootstrap topic group baseTimestamp records origin
'use strict'
const { ConfigResourceTypes, Kafka, Partitioners, logLevel } = require('kafkajs')

const [bootstrap, topic, group, baseArg, recordsArg, origin] = process.argv.slice(2)
const base = Number(baseArg)
const records = Number(recordsArg)
const partitions = 2
const deadlineMs = 60000

const kafka = new Kafka({ clientId: 'runnel-it-kafkajs', brokers: [bootstrap], logLevel: logLevel.WARN })

// Whether the condition holds within the deadline, asking every 100 ms: metadata may trail a deletion briefly.
async function eventually (condition) {
  const deadline = Date.now() + deadlineMs
  while (!(await condition())) {
    if (Date.now() > deadline) {
      return false
    }
    await new Promise(resolve => setTimeout(resolve, 100))
  }
  return true
}

async function createTopic (admin) {
  if (await admin.createTopics({ topics: [{ topic, numPartitions: partitions, replicationFactor: 1 }] })) {
    console.log(`created ${topic}`)
  }
  const { topics: [described] } = await admin.fetchTopicMetadata({ topics: [topic] })
  const leaders = described.partitions.sort((a, b) => a.partitionId - b.partitionId).map(p => p.leader)
  console.log(`described ${topic} ${described.partitions.length} ${leaders.join(' ')}`)
  if ((await admin.listTopics()).includes(topic)) {
    console.log(`listed ${topic}`)
  }
}

async function produce () {
  // Every record names its partition; the partitioner choice only silences KafkaJS's v2 migration warning.
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner })
  await producer.connect()
  for (let i = 0; i < records; i++) {
    const [sent] = await producer.send({
      topic,
      acks: -1,
      messages: [{
        partition: i % partitions,
        key: `key-${i}`,
        value: `value-${i}`,
        timestamp: String(base + i * 1000),
        headers: { origin }
      }]
    })
    console.log(`sent ${i} ${sent.partition} ${sent.baseOffset}`)
  }
  await producer.disconnect()
}

async function lookUpOffsets (admin) {
  for (const p of await admin.fetchTopicOffsets(topic)) {
    console.log(`beginning ${p.partition} ${p.low}`)
    console.log(`end ${p.partition} ${p.high}`)
  }
  for (let i = 0; i <= records; i++) {
    for (const p of await admin.fetchTopicOffsetsByTimestamp(topic, base + i * 1000 - 500)) {
      console.log(`time ${i} ${p.partition} ${p.offset}`)
    }
  }
}

async function consumeAndCommit (admin) {
  // Each record is a batch of ~110 bytes: a 150-byte limit ends every fetch inside the next batch, which the
  // broker cuts as Kafka does and KafkaJS must drop and fetch again.
  const consumer = kafka.consumer({ groupId: group, maxBytesPerPartition: 150 })
  await consumer.connect()
  await consumer.subscribe({ topics: [topic], fromBeginning: true })
  const next = new Map()
  let consumed = 0
  let allConsumed
  const done = new Promise(resolve => { allConsumed = resolve })
  await consumer.run({
    autoCommit: false,
    eachMessage: async ({ partition, message }) => {
      const header = message.headers.origin
      console.log(`consumed ${partition} ${message.offset} ${message.key} ${message.value} ` +
        `${header === undefined ? '-' : header.toString()} ${message.timestamp}`)
      next.set(partition, String(Number(message.offset) + 1))
      if (++consumed === records) {
        allConsumed()
      }
    }
  })
  let timer
  const timeout = new Promise((resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`consumed ${consumed} of ${records} in ${deadlineMs} ms`)), deadlineMs)
  })
  await Promise.race([done, timeout]).finally(() => clearTimeout(timer))
  await consumer.commitOffsets([...next].map(([partition, offset]) => ({ topic, partition, offset })))
  await consumer.disconnect()
  const [committed] = await admin.fetchOffsets({ groupId: group, topics: [topic] })
  for (const p of committed.partitions) {
    console.log(`committed ${p.partition} ${p.offset}`)
  }
}

// Two members of one group, until each owns one partition of the two.
async function sharePartitions () {
  const members = [0, 1].map(() => kafka.consumer({ groupId: `${group}-pair` }))
  const owned = members.map(() => '-')
  try {
    for (const [i, member] of members.entries()) {
      member.on(member.events.GROUP_JOIN, ({ payload }) => {
        owned[i] = (payload.memberAssignment[topic] || []).sort((a, b) => a - b).join(',') || '-'
      })
      await member.connect()
      await member.subscribe({ topics: [topic], fromBeginning: true })
      await member.run({ eachMessage: async () => {} })
    }
    await eventually(async () => owned[0] !== owned[1] && owned.every(p => p !== '-' && !p.includes(',')))
    console.log(`pair ${[...owned].sort().join(' ')}`)
  } finally {
    await Promise.all(members.map(member => member.disconnect()))
  }
}

async function describeGroupConfigAndScratchTopic (admin) {
  if ((await admin.listGroups()).groups.some(g => g.groupId === group)) {
    console.log(`listedGroup ${group}`)
  }
  const { groups: [described] } = await admin.describeGroups([group])
  console.log(`group ${group} ${described.state} ${described.members.length}`)
  const { resources: [resource] } = await admin.describeConfigs({
    resources: [{ type: ConfigResourceTypes.TOPIC, name: topic, configNames: ['cleanup.policy'] }],
    includeSynonyms: false
  })
  for (const entry of resource.configEntries) {
    console.log(`config ${topic} ${entry.configName} ${entry.configValue}`)
  }
  const scratch = `${topic}-scratch`
  await admin.createTopics({ topics: [{ topic: scratch, numPartitions: 1, replicationFactor: 1 }] })
  await admin.createPartitions({ topicPartitions: [{ topic: scratch, count: 3 }] })
  const { topics: [grown] } = await admin.fetchTopicMetadata({ topics: [scratch] })
  console.log(`grown ${scratch} ${grown.partitions.length}`)
  await admin.deleteTopics({ topics: [scratch] })
  if (await eventually(async () => !(await admin.listTopics()).includes(scratch))) {
    console.log(`deleted ${scratch}`)
  }
}

async function main () {
  const admin = kafka.admin()
  await admin.connect()
  try {
    await createTopic(admin)
    await produce()
    await lookUpOffsets(admin)
    await consumeAndCommit(admin)
    await sharePartitions()
    await describeGroupConfigAndScratchTopic(admin)
  } finally {
    await admin.disconnect()
  }
}

main().catch(e => {
  console.error(e)
  process.exit(1)
})
