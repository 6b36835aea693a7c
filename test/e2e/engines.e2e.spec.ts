import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import { engineUrl } from '@il/event-store/testing';
import { loadSocQuality } from '@il/standalone';
import { startTestSystem, type TestSystem } from './testSystem.js';
import { bearer } from './auth.js';

const kurrent = engineUrl('KURRENTDB_URL');
const mongo = engineUrl('MONGODB_URL');

/** The same HTTP scenario on each scale-out engine, selected by configuration only. */
const setups: { name: string; skipReason?: string | undefined; env: () => Record<string, string> }[] = [
  {
    name: 'EVENT_STORE=kurrentdb',
    skipReason: kurrent.skipReason,
    env: () => ({
      EVENT_STORE: 'kurrentdb',
      KURRENTDB_URL: kurrent.url!,
      KURRENTDB_STREAM_PREFIX: `e2e${randomUUID().slice(0, 8)}-`,
    }),
  },
  {
    name: 'READ_MODELS=mongodb',
    skipReason: mongo.skipReason,
    env: () => ({
      READ_MODELS: 'mongodb',
      MONGODB_URL: mongo.url!,
      MONGODB_DATABASE: `il_e2e_${randomUUID().slice(0, 8)}`,
    }),
  },
  {
    name: 'EVENT_STORE=kurrentdb and READ_MODELS=mongodb',
    skipReason: kurrent.skipReason ?? mongo.skipReason,
    env: () => ({
      EVENT_STORE: 'kurrentdb',
      KURRENTDB_URL: kurrent.url!,
      KURRENTDB_STREAM_PREFIX: `e2e${randomUUID().slice(0, 8)}-`,
      READ_MODELS: 'mongodb',
      MONGODB_URL: mongo.url!,
      MONGODB_DATABASE: `il_e2e_${randomUUID().slice(0, 8)}`,
    }),
  },
];

for (const setup of setups) {
  describe(`the system on ${setup.name}${setup.skipReason ? ` (skipped: ${setup.skipReason})` : ''}`, function () {
    this.timeout(120_000);
    let t: TestSystem;
    let admin: string;
    before(async function () {
      if (setup.skipReason) this.skip();
      admin = await bearer();
      t = await startTestSystem(setup.env());
    });
    after(async () => t?.stop());

    it('records the SocQuality scenario and answers its indicator numbers after the write position', async () => {
      const loaded = await loadSocQuality(t.url, { authorization: admin });
      const res = await fetch(`${t.url}/v1/projects/LLI-317/indicators?period=P3&minPosition=${loaded.lastPosition}`, {
        headers: { authorization: admin },
      });
      expect(res.status).to.equal(200);
      const body = (await res.json()) as {
        indicators: { code: string; periodValue: number; cumulativeValue: number }[];
      };
      expect(body.indicators.find((i) => i.code === 'RCO81')).to.deep.include({
        periodValue: 46,
        cumulativeValue: 155,
      });
      const ready = await fetch(`${t.url}/readyz`);
      expect(ready.status).to.equal(200);
    });
  });
}

const kafka = engineUrl('KAFKA_BROKERS');

describe(`the system publishing to Kafka (KAFKA_BROKERS, relay in the standalone process)${kafka.skipReason ? ` (skipped: ${kafka.skipReason})` : ''}`, function () {
  this.timeout(120_000);
  let t: TestSystem;
  const prefix = `e2e-${randomUUID().slice(0, 8)}`;
  before(async function () {
    if (kafka.skipReason) this.skip();
    t = await startTestSystem({
      KAFKA_BROKERS: kafka.url!,
      KAFKA_CREATE_TOPICS: 'true',
      KAFKA_TOPIC_PARTITIONS: '1',
      KAFKA_TOPIC_PREFIX: prefix,
      RELAY_NAME: prefix,
    });
  });
  after(async () => t?.stop());

  it('publishes every SocQuality event to the LV-LT topic, each once, as a valid CloudEvent keyed by its stream', async () => {
    const { Kafka: KafkaClient, logLevel } = await import('kafkajs');
    const { asCloudEvent } = await import('@il/relay/contract');
    await loadSocQuality(t.url, { authorization: await bearer() });
    const stored = [...(await t.store.readStream('programme-LV-LT')), ...(await t.store.readStream('project-LLI-317'))];
    const consumer = new KafkaClient({
      clientId: 'e2e',
      brokers: kafka.url!.split(','),
      logLevel: logLevel.NOTHING,
    }).consumer({ groupId: `${prefix}-reader` });
    const got: { id: string; key: string }[] = [];
    await consumer.connect();
    // The topic is created by the relay on its first publish: wait for it before subscribing.
    const admin = new KafkaClient({
      clientId: 'e2e',
      brokers: kafka.url!.split(','),
      logLevel: logLevel.NOTHING,
    }).admin();
    await admin.connect();
    for (
      const until = Date.now() + 60_000;
      !(await admin.listTopics()).includes(`${prefix}.LV-LT.events`);
      await new Promise((r) => setTimeout(r, 200))
    )
      expect(Date.now()).to.be.below(until);
    await admin.disconnect();
    await consumer.subscribe({ topic: `${prefix}.LV-LT.events`, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message }) => {
        const headers = Object.fromEntries(Object.entries(message.headers ?? {}).map(([k, v]) => [k, String(v)]));
        const event = asCloudEvent({ key: String(message.key), value: String(message.value), headers });
        got.push({ id: event.id, key: String(message.key) });
      },
    });
    for (const until = Date.now() + 60_000; got.length < stored.length; await new Promise((r) => setTimeout(r, 100)))
      expect(Date.now(), `${got.length} of ${stored.length}`).to.be.below(until);
    await consumer.disconnect();
    expect(got.map((g) => g.id).sort()).to.deep.equal(stored.map((e) => e.eventId).sort());
    for (const g of got) expect(g.key).to.equal(stored.find((e) => e.eventId === g.id)!.streamId);
  });
});
