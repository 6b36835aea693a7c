import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { type EventStore, type StoredEvent } from '@il/event-store';
import { createPostgresEventStore } from '@il/event-store-postgres';
import { newEvent } from '@il/event-store/contract';
import { createTestDatabase } from '@il/event-store-postgres/testing';
import {
  createFilePublisher,
  createPostgresRelayCheckpoints,
  startRelay,
  type CloudEventEnvelope,
  type Publisher,
  type RelayCheckpoints,
  type RelayMessage,
} from '../src/index.js';
import { asCloudEvent } from '../src/contract/index.js';

async function until(check: () => Promise<boolean>, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('relay: committed events to the publisher, at least once (PostgreSQL store, file publisher)', function () {
  this.timeout(120_000);
  let db: { connectionString: string; drop(): Promise<void> };
  let store: EventStore;
  let pool: pg.Pool;
  let checkpoints: RelayCheckpoints;
  let dir: string;
  const written: StoredEvent[] = [];

  const register = async (projectId: string, programmeId: string) => {
    written.push(
      ...(
        await store.appendToStream(
          `programme-${programmeId}`,
          [newEvent({ type: 'ProgrammeRegistered', schemaVersion: 1, data: { programmeId } })],
          { expectedVersion: 'any' },
        )
      ).events,
    );
    written.push(
      ...(
        await store.appendToStream(
          `project-${projectId}`,
          [newEvent({ type: 'ProjectRegistered', schemaVersion: 1, data: { projectId, programmeId } })],
          { expectedVersion: 'no-stream' },
        )
      ).events,
    );
  };
  const camps = async (projectId: string, n: number) => {
    for (let i = 0; i < n; i++)
      written.push(
        ...(await store.appendToStream(`project-${projectId}`, [newEvent()], { expectedVersion: 'any' })).events,
      );
  };

  before(async () => {
    db = await createTestDatabase();
    store = await createPostgresEventStore({ connectionString: db.connectionString });
    pool = new pg.Pool({ connectionString: db.connectionString });
    pool.on('error', () => undefined);
    checkpoints = await createPostgresRelayCheckpoints(pool);
    dir = mkdtempSync(join(tmpdir(), 'il-relay-'));
    await register('LLI-317', 'LV-LT');
    await register('EST-1', 'EST-LAT');
    await camps('LLI-317', 20);
    await camps('EST-1', 5);
  });
  after(async () => {
    await pool?.end();
    await store?.close();
    await db?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  const envelopes = async (publisher: ReturnType<typeof createFilePublisher>, topic: string) =>
    (await publisher.read(topic)).map((m) => ({ key: m.key, e: JSON.parse(m.value) as CloudEventEnvelope }));

  it("publishes each programme's events to its topic as CloudEvents, keyed by stream, in stream order", async () => {
    const publisher = createFilePublisher(join(dir, 'first'));
    const relay = startRelay({ store, publisher, checkpoints, name: 'first', batchSize: 7 });
    try {
      await until(
        async () =>
          (await publisher.read('indicator-ledger.LV-LT.events')).length >= 22 &&
          (await publisher.read('indicator-ledger.EST-LAT.events')).length >= 7,
      );
    } finally {
      await relay.stop();
    }
    const lvlt = await envelopes(publisher, 'indicator-ledger.LV-LT.events');
    expect(lvlt.map((m) => m.e.id)).to.deep.equal(
      written.filter((e) => e.streamId === 'programme-LV-LT' || e.streamId === 'project-LLI-317').map((e) => e.eventId),
    );
    const project = lvlt.filter((m) => m.key === 'project-LLI-317');
    expect(project.map((m) => m.e.ilstreamversion)).to.deep.equal(Array.from({ length: 21 }, (_, i) => i + 1));
    const camp = written.find((e) => e.streamId === 'project-LLI-317' && e.type === 'CampHeld')!;
    expect(project.find((m) => m.e.id === camp.eventId)!.e).to.deep.equal({
      specversion: '1.0',
      id: camp.eventId,
      source: '/indicator-ledger/programmes/LV-LT',
      type: 'eu.interreg.indicator-ledger.CampHeld.v2',
      subject: 'project-LLI-317',
      time: camp.occurredAt.toISOString(),
      datacontenttype: 'application/json',
      data: camp.data,
      ilenvelopeversion: 1,
      ilrecordedat: camp.recordedAt.toISOString(),
      ilposition: camp.position,
      ilstreamversion: camp.streamVersion,
      ilcorrelationid: camp.metadata.correlationId,
    });
    expect(await checkpoints.load('first')).to.equal(written.at(-1)!.position);
  });

  it('produces messages that the official CloudEvents SDK reads as valid structured-mode events, and files of bare events', async () => {
    const produced: RelayMessage[] = [];
    const recording: Publisher = {
      publish: async (messages) => void produced.push(...messages),
      close: async () => undefined,
    };
    const relay = startRelay({ store, publisher: recording, checkpoints, name: 'cloudevents' });
    try {
      await until(async () => produced.length >= written.length);
    } finally {
      await relay.stop();
    }
    for (const m of produced) {
      expect(m.headers, 'structured mode: the content type is the only header').to.deep.equal({
        'content-type': 'application/cloudevents+json; charset=utf-8',
      });
      const event = asCloudEvent(m);
      const stored = written.find((e) => e.eventId === event.id)!;
      expect([event.type, event.subject, event.source]).to.deep.equal([
        `eu.interreg.indicator-ledger.${stored.type}.v${stored.schemaVersion}`,
        m.key,
        event.source,
      ]);
      expect(event.source).to.match(/^\/indicator-ledger\/programmes\//);
    }
    const files = createFilePublisher(join(dir, 'bare'));
    await files.publish(produced.filter((m) => m.topic === 'indicator-ledger.LV-LT.events'));
    const lines = readFileSync(join(dir, 'bare', 'indicator-ledger.LV-LT.events.jsonl'), 'utf8')
      .trim()
      .split('\n');
    expect(lines.map((l) => (JSON.parse(l) as { specversion?: string; id: string }).specversion)).to.deep.equal(
      lines.map(() => '1.0'),
    );
    expect(lines.map((l) => (JSON.parse(l) as { id: string }).id)).to.deep.equal(
      produced
        .filter((m) => m.topic === 'indicator-ledger.LV-LT.events')
        .map((m) => (JSON.parse(m.value) as { id: string }).id),
    );
  });

  it('publishes a batch again when its acknowledgement is lost, so consumers deduplicating on id see every event once', async () => {
    const files = createFilePublisher(join(dir, 'flaky'));
    let calls = 0;
    const flaky: Publisher = {
      // Delivered, then "the broker's acknowledgement is lost" on every third batch.
      async publish(messages) {
        await files.publish(messages);
        if (++calls % 3 === 0) throw new Error('acknowledgement lost');
      },
      close: async () => undefined,
    };
    const errors: unknown[] = [];
    const relay = startRelay({
      store,
      publisher: flaky,
      checkpoints,
      name: 'flaky',
      batchSize: 4,
      backoff: { initialMs: 5, maxMs: 20 },
      onError: (e) => errors.push(e),
    });
    try {
      await until(async () => (await checkpoints.load('flaky')) === written.at(-1)!.position);
    } finally {
      await relay.stop();
    }
    const all = [
      ...(await envelopes(files, 'indicator-ledger.LV-LT.events')),
      ...(await envelopes(files, 'indicator-ledger.EST-LAT.events')),
    ];
    expect(errors.length).to.be.above(0);
    expect(all.length).to.be.above(written.length);
    const firstSeen = [...new Map(all.map((m) => [m.e.id, m])).values()];
    expect(new Set(firstSeen.map((m) => m.e.id))).to.deep.equal(new Set(written.map((e) => e.eventId)));
    for (const stream of ['project-LLI-317', 'project-EST-1']) {
      expect(firstSeen.filter((m) => m.key === stream).map((m) => m.e.ilstreamversion)).to.deep.equal(
        written.filter((e) => e.streamId === stream).map((e) => e.streamVersion),
      );
    }
  });

  it('resumes after its stored checkpoint: a restarted relay publishes only what is new', async () => {
    const publisher = createFilePublisher(join(dir, 'first'));
    const before = (await publisher.read('indicator-ledger.LV-LT.events')).length;
    await camps('LLI-317', 3);
    const relay = startRelay({ store, publisher, checkpoints, name: 'first' });
    try {
      await until(async () => (await checkpoints.load('first')) === written.at(-1)!.position);
    } finally {
      await relay.stop();
    }
    const after = await publisher.read('indicator-ledger.LV-LT.events');
    expect(after.slice(before).map((m) => (JSON.parse(m.value) as CloudEventEnvelope).id)).to.deep.equal(
      written.slice(-3).map((e) => e.eventId),
    );
  });

  it('sends events of streams outside any programme to the unassigned topic', async () => {
    const id = randomUUID().slice(0, 8);
    const e = (await store.appendToStream(`other-${id}`, [newEvent()], { expectedVersion: 'any' })).events[0]!;
    const publisher = createFilePublisher(join(dir, 'first'));
    const relay = startRelay({ store, publisher, checkpoints, name: 'first' });
    try {
      await until(async () => (await publisher.read('indicator-ledger.unassigned.events')).length === 1);
    } finally {
      await relay.stop();
    }
    expect(JSON.parse((await publisher.read('indicator-ledger.unassigned.events'))[0]!.value)).to.include({
      id: e.eventId,
      source: '/indicator-ledger/programmes/unassigned',
    });
    written.push(e);
  });
});
