import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Kafka, logLevel, type Consumer } from 'kafkajs';
import pg from 'pg';
import { startPosition, type EventStore, type StoredEvent } from '@il/event-store';
import { createPostgresEventStore } from '@il/event-store-postgres';
import { newEvent } from '@il/event-store/contract';
import { engineUrl, repoRoot } from '@il/event-store/testing';
import { createTestDatabase } from '@il/event-store-postgres/testing';
import { asCloudEvent } from '../src/contract/index.js';
import {
  createKafkaPublisher,
  createPostgresRelayCheckpoints,
  kafkaClientConfig,
  loadRelayConfig,
  startRelay,
  type RelayCheckpoints,
  type RelayMessage,
} from '../src/index.js';

const { url, skipReason } = engineUrl('KAFKA_BROKERS');
const root = repoRoot();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface BrokerScript {
  unavailable(): string | undefined;
  startBroker(o?: { dir?: string; port?: number }): Promise<{ brokers: string; dir: string; port: number }>;
  stopBroker(dir: string, o?: { signal?: string }): Promise<void>;
}
const brokerScript = () =>
  import(pathToFileURL(join(root, 'scripts', 'kafka', 'broker.mjs')).href) as Promise<BrokerScript>;

async function until(check: () => boolean | Promise<boolean>, what: string, ms = 60_000): Promise<void> {
  for (const deadline = Date.now() + ms; !(await check()); await sleep(50))
    if (Date.now() > deadline) throw new Error(`timed out: ${what}`);
}

/** Reads topics from the beginning into `got` until stopped, as an independent consumer group. */
async function consume(brokers: string, topics: string[], got: RelayMessage[]): Promise<Consumer> {
  const kafka = new Kafka({
    ...kafkaClientConfig(loadRelayConfig({ KAFKA_BROKERS: brokers })),
    logLevel: logLevel.NOTHING,
  });
  const consumer = kafka.consumer({ groupId: `relay-test-${randomUUID()}` });
  await consumer.connect();
  for (const topic of topics) await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ topic, message }) => {
      got.push({
        topic,
        key: String(message.key),
        value: String(message.value),
        headers: Object.fromEntries(Object.entries(message.headers ?? {}).map(([k, v]) => [k, String(v)])),
      });
    },
  });
  return consumer;
}

/** Every stored event once, in each stream's order, and nothing else: what a consumer deduplicating on id must see. */
function expectEveryEventOnceInOrder(got: RelayMessage[], written: StoredEvent[]) {
  const firstSeen = [...new Map(got.map((m) => [asCloudEvent(m).id, m])).values()];
  expect(firstSeen.map((m) => asCloudEvent(m).id).sort()).to.deep.equal(written.map((e) => e.eventId).sort());
  for (const stream of new Set(written.map((e) => e.streamId))) {
    const versions = firstSeen
      .filter((m) => m.key === stream)
      .map((m) => (JSON.parse(m.value) as { ilstreamversion: number }).ilstreamversion);
    expect(versions, stream).to.deep.equal(written.filter((e) => e.streamId === stream).map((e) => e.streamVersion));
  }
}

describe(`relay on an Apache Kafka broker${skipReason ? ` (skipped: ${skipReason})` : ''}`, function () {
  this.timeout(300_000);
  let db: { connectionString: string; drop(): Promise<void> };
  let store: EventStore;
  let pool: pg.Pool;
  let checkpoints: RelayCheckpoints;
  const run = randomUUID().slice(0, 8);

  before(async function () {
    if (skipReason) this.skip();
    db = await createTestDatabase();
    store = await createPostgresEventStore({ connectionString: db.connectionString });
    pool = new pg.Pool({ connectionString: db.connectionString });
    pool.on('error', () => undefined);
    checkpoints = await createPostgresRelayCheckpoints(pool);
  });
  after(async () => {
    await pool?.end();
    await store?.close();
    await db?.drop();
  });

  /** Writes a programme and `projects` projects of it with `camps` outputs each; returns what was stored. */
  async function write(programmeId: string, projects: number, camps: number): Promise<StoredEvent[]> {
    const written = [
      ...(
        await store.appendToStream(
          `programme-${programmeId}`,
          [newEvent({ type: 'ProgrammeRegistered', schemaVersion: 1, data: { programmeId } })],
          { expectedVersion: 'any' },
        )
      ).events,
    ];
    for (let p = 0; p < projects; p++) {
      const projectId = `${programmeId}-P${p}`;
      written.push(
        ...(
          await store.appendToStream(
            `project-${projectId}`,
            [newEvent({ type: 'ProjectRegistered', schemaVersion: 1, data: { projectId, programmeId } })],
            { expectedVersion: 'no-stream' },
          )
        ).events,
      );
    }
    for (let c = 0; c < camps; c++)
      for (let p = 0; p < projects; p++)
        written.push(
          ...(await store.appendToStream(`project-${programmeId}-P${p}`, [newEvent()], { expectedVersion: 'any' }))
            .events,
        );
    return written;
  }
  const publisherFor = (brokers: string, createTopics: boolean) =>
    createKafkaPublisher({
      client: {
        ...kafkaClientConfig(loadRelayConfig({ KAFKA_BROKERS: brokers })),
        retry: { retries: 2, initialRetryTime: 100, maxRetryTime: 1000 },
      },
      ...(createTopics ? { createTopics: { partitions: 3, replicationFactor: -1 } } : {}),
      publishTimeoutMs: 5000,
      logLevel: logLevel.NOTHING,
    });

  it('publishes every committed event once per id, each stream in order, one topic per programme keyed by stream, as valid CloudEvents', async () => {
    const prefix = `kr-${run}-a`;
    const written = [...(await write(`A${run}`, 3, 10)), ...(await write(`B${run}`, 2, 10))];
    const publisher = await publisherFor(url!, true);
    const relay = startRelay({ store, publisher, checkpoints, name: `a-${run}`, topicPrefix: prefix, batchSize: 16 });
    const got: RelayMessage[] = [];
    try {
      await until(
        async () => (await checkpoints.load(`a-${run}`)) === written.at(-1)!.position,
        'relay checkpoint at the head',
      );
      const consumer = await consume(url!, [`${prefix}.A${run}.events`, `${prefix}.B${run}.events`], got);
      await until(() => got.length >= written.length, 'every message consumed');
      await consumer.disconnect();
    } finally {
      await relay.stop();
      await publisher.close();
    }
    expect(got.length, 'nothing published twice without a failure').to.equal(written.length);
    expectEveryEventOnceInOrder(got, written);
    for (const m of got) {
      const event = asCloudEvent(m);
      expect(m.topic).to.equal(`${prefix}.${event.source.split('/').at(-1)}.events`);
      expect(m.key).to.equal(event.subject);
    }
  });

  it('with topic creation off, retries without moving its checkpoint until the topic exists, then publishes', async () => {
    // A store of its own: the relay publishes everything in its store, and the other tests' programmes have no topic
    // under this prefix.
    const own = await createTestDatabase();
    const ownStore = await createPostgresEventStore({ connectionString: own.connectionString });
    const ownPool = new pg.Pool({ connectionString: own.connectionString });
    ownPool.on('error', () => undefined);
    const ownCheckpoints = await createPostgresRelayCheckpoints(ownPool);
    const prefix = `kr-${run}-off`;
    const programmeId = `C${run}`;
    const written = [
      ...(
        await ownStore.appendToStream(
          `programme-${programmeId}`,
          [newEvent({ type: 'ProgrammeRegistered', schemaVersion: 1, data: { programmeId } })],
          { expectedVersion: 'any' },
        )
      ).events,
    ];
    for (let i = 0; i < 5; i++)
      written.push(
        ...(await ownStore.appendToStream(`programme-${programmeId}`, [newEvent()], { expectedVersion: 'any' })).events,
      );
    const publisher = await publisherFor(url!, false);
    const errors: unknown[] = [];
    const relay = startRelay({
      store: ownStore,
      publisher,
      checkpoints: ownCheckpoints,
      name: 'off',
      topicPrefix: prefix,
      backoff: { initialMs: 50, maxMs: 500 },
      onError: (e) => errors.push(e),
    });
    const got: RelayMessage[] = [];
    try {
      await until(() => errors.length >= 2, 'failures while the topic is missing');
      expect(await ownCheckpoints.load('off'), 'no checkpoint without an acknowledgement').to.equal(startPosition);
      const admin = new Kafka({
        ...kafkaClientConfig(loadRelayConfig({ KAFKA_BROKERS: url! })),
        logLevel: logLevel.NOTHING,
      }).admin();
      await admin.connect();
      await admin.createTopics({
        waitForLeaders: true,
        topics: [{ topic: `${prefix}.${programmeId}.events`, numPartitions: 1 }],
      });
      await admin.disconnect();
      await until(
        async () => (await ownCheckpoints.load('off')) === written.at(-1)!.position,
        'relay caught up once the topic exists',
      );
      const consumer = await consume(url!, [`${prefix}.${programmeId}.events`], got);
      await until(() => got.length >= written.length, 'every message consumed');
      await consumer.disconnect();
    } finally {
      await relay.stop();
      await publisher.close();
      await ownPool.end();
      await ownStore.close();
      await own.drop();
    }
    expectEveryEventOnceInOrder(got, written);
  });

  it('loses nothing when the relay is stopped and restarted mid-stream while events are written', async () => {
    const prefix = `kr-${run}-restart`;
    const written = await write(`D${run}`, 2, 5);
    let writing = true;
    const writer = (async () => {
      for (let i = 0; writing && i < 400; i++) {
        written.push(
          ...(await store.appendToStream(`project-D${run}-P${i % 2}`, [newEvent()], { expectedVersion: 'any' })).events,
        );
        await sleep(5);
      }
    })();
    const publisher = await publisherFor(url!, true);
    try {
      for (let round = 0; round < 4; round++) {
        const relay = startRelay({
          store,
          publisher,
          checkpoints,
          name: `restart-${run}`,
          topicPrefix: prefix,
          batchSize: 7,
        });
        await sleep(300 + Math.floor(Math.random() * 300));
        await relay.stop();
      }
      writing = false;
      await writer;
      const relay = startRelay({
        store,
        publisher,
        checkpoints,
        name: `restart-${run}`,
        topicPrefix: prefix,
        batchSize: 7,
      });
      await until(
        async () => (await checkpoints.load(`restart-${run}`)) === written.at(-1)!.position,
        'relay at the head',
      );
      await relay.stop();
    } finally {
      await publisher.close();
    }
    const got: RelayMessage[] = [];
    const consumer = await consume(url!, [`${prefix}.D${run}.events`], got);
    await until(() => new Set(got.map((m) => asCloudEvent(m).id)).size >= written.length, 'every event consumed');
    await consumer.disconnect();
    expectEveryEventOnceInOrder(got, written);
  });
});

const broker = await brokerScript().then(
  (s) => ({ script: s, why: s.unavailable() }),
  (e: unknown) => ({ script: undefined, why: `scripts/kafka/broker.mjs could not be loaded: ${String(e)}` }),
);

describe(`relay while its own Kafka broker is killed (SIGKILL) and restarted under write load${broker.why ? ` (skipped: ${broker.why})` : ''}`, function () {
  this.timeout(300_000);
  let db: { connectionString: string; drop(): Promise<void> };
  let store: EventStore;
  let pool: pg.Pool;
  let own: { brokers: string; dir: string; port: number };

  before(async function () {
    if (broker.why || !broker.script) this.skip();
    db = await createTestDatabase();
    store = await createPostgresEventStore({ connectionString: db.connectionString });
    pool = new pg.Pool({ connectionString: db.connectionString });
    pool.on('error', () => undefined);
    own = await broker.script.startBroker({ dir: mkdtempSync(join(tmpdir(), 'il-kafka-kill-')) });
  });
  after(async () => {
    if (own) await broker.script?.stopBroker(own.dir);
    await pool?.end();
    await store?.close();
    await db?.drop();
  });

  it('publishes every event at least once, deduplicable by id, with the checkpoint never ahead of an acknowledged batch', async () => {
    const checkpoints = await createPostgresRelayCheckpoints(pool);
    const written: StoredEvent[] = [];
    written.push(
      ...(
        await store.appendToStream(
          'programme-K',
          [newEvent({ type: 'ProgrammeRegistered', schemaVersion: 1, data: { programmeId: 'K' } })],
          { expectedVersion: 'any' },
        )
      ).events,
    );
    written.push(
      ...(
        await store.appendToStream(
          'project-K1',
          [newEvent({ type: 'ProjectRegistered', schemaVersion: 1, data: { projectId: 'K1', programmeId: 'K' } })],
          { expectedVersion: 'no-stream' },
        )
      ).events,
    );
    const acknowledged: RelayMessage[] = [];
    const publisher = await createKafkaPublisher({
      client: {
        ...kafkaClientConfig(loadRelayConfig({ KAFKA_BROKERS: own.brokers })),
        retry: { retries: 1, initialRetryTime: 100, maxRetryTime: 500 },
        connectionTimeout: 1000,
      },
      createTopics: { partitions: 1, replicationFactor: -1 },
      publishTimeoutMs: 5000,
      logLevel: logLevel.NOTHING,
    });
    // The checkpoint may only name a position whose batch Kafka acknowledged.
    const checked = {
      ...publisher,
      async publish(messages: RelayMessage[]) {
        await publisher.publish(messages);
        acknowledged.push(...messages);
      },
    };
    const aheadOfAcks: string[] = [];
    const watch = setInterval(() => {
      void checkpoints.load('kill').then(
        (at) => {
          if (
            at &&
            at !== startPosition &&
            !acknowledged.some((m) => (JSON.parse(m.value) as { ilposition: string }).ilposition === at)
          )
            aheadOfAcks.push(at);
        },
        () => undefined,
      );
    }, 20);
    const failures: unknown[] = [];
    const relay = startRelay({
      store,
      publisher: checked,
      checkpoints,
      name: 'kill',
      batchSize: 10,
      backoff: { initialMs: 100, maxMs: 1000 },
      onError: (e) => failures.push(e),
    });
    let writing = true;
    const writer = (async () => {
      for (let i = 0; writing && i < 1500; i++) {
        written.push(...(await store.appendToStream('project-K1', [newEvent()], { expectedVersion: 'any' })).events);
        await sleep(5);
      }
    })();
    try {
      for (let round = 0; round < 2; round++) {
        await sleep(1500);
        await broker.script!.stopBroker(own.dir, { signal: 'SIGKILL' });
        await sleep(1000);
        own = await broker.script!.startBroker({ dir: own.dir, port: own.port });
      }
      writing = false;
      await writer;
      await until(
        async () => (await checkpoints.load('kill')) === written.at(-1)!.position,
        'relay at the head after the restarts',
        120_000,
      );
    } finally {
      clearInterval(watch);
      await relay.stop();
      await publisher.close();
    }
    expect(failures.length, 'the broker was really down').to.be.above(0);
    expect(aheadOfAcks, 'checkpoints not backed by an acknowledged batch').to.deep.equal([]);
    const got: RelayMessage[] = [];
    const consumer = await consume(own.brokers, ['indicator-ledger.K.events'], got);
    await until(
      () => new Set(got.map((m) => asCloudEvent(m).id)).size >= written.length,
      'every event consumed',
      60_000,
    );
    await consumer.disconnect();
    expectEveryEventOnceInOrder(got, written);
  });
});
