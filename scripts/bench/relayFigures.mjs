// The relay against a real Apache Kafka broker (scripts/kafka/broker.mjs), next to a raw kafkajs producer sending the
// same messages in the same run, and the lag from an append to its publication.
import { randomUUID } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import pg from 'pg';
import { createPool, createPostgresEventStore } from '@il/event-store-postgres';
import { newEvent } from '@il/event-store/contract';
import {
  createKafkaPublisher,
  createPostgresRelayCheckpoints,
  groupByTopic,
  kafkaClientConfig,
  loadRelayConfig,
  startRelay,
  toMessage,
} from '@il/relay';
import { percentile } from './stats.mjs';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** `count` events over 20 project streams of one programme, in a database of their own on the bench's server. */
async function relayStore(connectionString, count) {
  const admin = new pg.Client({ connectionString });
  admin.on('error', () => undefined);
  await admin.connect();
  const name = `bench_relay_${randomUUID().slice(0, 8)}`;
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(connectionString);
  url.pathname = `/${name}`;
  const store = await createPostgresEventStore({ connectionString: url.toString() });
  await store.appendToStream(
    'programme-RELAY',
    [newEvent({ type: 'ProgrammeRegistered', schemaVersion: 1, data: { programmeId: 'RELAY' } })],
    { expectedVersion: 'any' },
  );
  for (let p = 0; p < 20; p++)
    await store.appendToStream(
      `project-R${p}`,
      [newEvent({ type: 'ProjectRegistered', schemaVersion: 1, data: { projectId: `R${p}`, programmeId: 'RELAY' } })],
      { expectedVersion: 'no-stream' },
    );
  for (let made = 0; made < count; made += 500) {
    await Promise.all(
      Array.from({ length: 20 }, (_, p) =>
        store.appendToStream(
          `project-R${p}`,
          Array.from({ length: 25 }, () => newEvent()),
          { expectedVersion: 'any' },
        ),
      ),
    );
  }
  return { store, url: url.toString(), name };
}

export async function relayThroughput(connectionString, brokers, count) {
  const { store, url } = await relayStore(connectionString, count);
  const pool = createPool({ connectionString: url, max: 4 });
  const client = kafkaClientConfig(loadRelayConfig({ KAFKA_BROKERS: brokers }));
  const kafka = new Kafka({ ...client, logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  try {
    // Every event, page by page (readAll caps a page), and the head the relay must reach.
    const events = [];
    for (let after; ;) {
      const page = await store.readAll({ ...(after ? { after } : {}), limit: 10_000 });
      events.push(...page.events);
      if (page.events.length === 0) break;
      after = page.events.at(-1).position;
    }
    const total = events.length;
    // Baseline: the same messages (built as the relay builds them) sent by a bare kafkajs producer, in batches of the
    // relay's size, each acknowledged by all in-sync replicas before the next, as the relay waits before checkpointing.
    const rawTopicPrefix = `bench-raw-${randomUUID().slice(0, 8)}`;
    const programmeOf = async () => 'RELAY';
    const messages = await Promise.all(events.map((e) => toMessage(e, rawTopicPrefix, programmeOf)));
    await admin.createTopics({
      waitForLeaders: true,
      topics: [{ topic: `${rawTopicPrefix}.RELAY.events`, numPartitions: 6 }],
    });
    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false });
    await producer.connect();
    let t = process.hrtime.bigint();
    for (let i = 0; i < messages.length; i += 500)
      await producer.sendBatch({ topicMessages: groupByTopic(messages.slice(i, i + 500)), acks: -1 });
    const rawSeconds = Number(process.hrtime.bigint() - t) / 1e9;
    await producer.disconnect();

    const prefix = `bench-relay-${randomUUID().slice(0, 8)}`;
    const checkpoints = await createPostgresRelayCheckpoints(pool);
    const publisher = await createKafkaPublisher({
      client,
      createTopics: { partitions: 6, replicationFactor: -1 },
      logLevel: logLevel.NOTHING,
    });
    const head = events.at(-1).position;
    t = process.hrtime.bigint();
    const appendedAt = new Map();
    const lags = [];
    const relay = startRelay({
      store,
      publisher,
      checkpoints,
      name: 'bench',
      topicPrefix: prefix,
      batchSize: 500,
      onPublished: (published) => {
        const now = performance.now();
        for (const m of published) {
          const at = appendedAt.get(JSON.parse(m.value).id);
          if (at !== undefined) lags.push(now - at);
        }
      },
    });
    while ((await checkpoints.load('bench')) !== head) await sleep(20);
    const relaySeconds = Number(process.hrtime.bigint() - t) / 1e9;

    // Lag: single appends at an even 100/s for 5 s while the relay runs live; from each append's acknowledgement to
    // Kafka's acknowledgement of the batch that carried it.
    for (let i = 0; i < 500; i++) {
      const due = performance.now() + 10;
      const e = newEvent();
      await store.appendToStream(`project-R${i % 20}`, [e], { expectedVersion: 'any' });
      appendedAt.set(e.eventId, performance.now());
      const wait = due - performance.now();
      if (wait > 0) await sleep(wait);
    }
    for (const deadline = Date.now() + 30_000; lags.length < 500 && Date.now() < deadline;) await sleep(20);
    await relay.stop();
    await publisher.close();
    lags.sort((a, b) => a - b);
    return {
      events: total,
      relayPerSecond: total / relaySeconds,
      rawPerSecond: total / rawSeconds,
      lagP50: percentile(lags, 50),
      lagP99: percentile(lags, 99),
      lagSamples: lags.length,
    };
  } finally {
    await admin.disconnect();
    await pool.end();
    await store.close();
  }
}
